using System.Globalization;
using System.Text;

namespace Barometre.Data;

/// <summary>
/// The longest value each stored text may hold: one source for the database columns, the validation of
/// imports, forms and the API, and the pages' <c>maxlength</c> attributes.
/// </summary>
public static class FieldLimits
{
    /// <summary>A comment or a justification of an answer.</summary>
    public const int AnswerText = 4000;

    /// <summary>A link (evidence URL), and an operator's note on evidence.</summary>
    public const int Url = 2000;

    /// <summary>A person's or a campaign's name, an API key's name, a type, a region, an id of the model.</summary>
    public const int Name = 200;

    /// <summary>A collectivité's name (official names of groupings run long).</summary>
    public const int CollectiviteName = 300;

    /// <summary>A collectivité's code in the panel.</summary>
    public const int Code = 100;

    /// <summary>An e-mail address (RFC 5321: 64 + 1 + 255).</summary>
    public const int Email = 320;

    /// <summary>Who made a change, as the audit trail and the answers record it (« lien CODE (name) »).</summary>
    public const int Actor = 400;

    /// <summary>What an audit entry records was done (« answer.import », « campaign.freeze »).</summary>
    public const int Action = 100;

    /// <summary>A secret's hash as stored (SHA-256 in hexadecimal, 64 characters), and an operator's security stamp (a 43-character token).</summary>
    public const int Hash = 64;

    /// <summary>An invitation token encrypted by data protection (about 160 characters), with room for a longer key id or algorithm.</summary>
    public const int ProtectedToken = 500;

    /// <summary>An SMTP server's reply or a bounce's diagnostic as kept (longer ones are cut).</summary>
    public const int MailReply = 1000;
}

/// <summary>
/// What a text typed or imported by a user may contain, and how a message quotes it. Control characters
/// (U+0000, escapes, C1 controls) and unpaired surrogates are refused everywhere: PostgreSQL stores no
/// U+0000, terminals and logs interpret escapes, and neither has a meaning in a name or a comment.
/// Tab and line breaks are allowed in multi-line texts only.
/// </summary>
public static class TextRules
{
    /// <summary>The most characters of a value that a message quotes.</summary>
    public const int QuotedLength = 100;

    /// <summary>The index of the first character <paramref name="text"/> may not hold, or −1.</summary>
    /// <param name="text">The text.</param>
    /// <param name="multiline">Whether tab, line feed and carriage return are allowed (comments), or not (names, codes).</param>
    public static int IndexOfForbidden(ReadOnlySpan<char> text, bool multiline)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c) || (char.IsControl(c) && !(multiline && c is '\t' or '\n' or '\r')))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>
    /// Why <paramref name="text"/> cannot be stored as « <paramref name="what"/> », in French; null when it can
    /// (null and empty texts can).
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="what">What it is, with its article: « Le commentaire », « Le nom ».</param>
    /// <param name="maxLength">Its longest length (<see cref="FieldLimits"/>).</param>
    /// <param name="multiline">Whether tab and line breaks are allowed.</param>
    public static string? Problem(string? text, string what, int maxLength, bool multiline)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        if (text.Length > maxLength)
        {
            return $"{what} dépasse {maxLength.ToString(CultureInfo.InvariantCulture)} caractères ({text.Length.ToString(CultureInfo.InvariantCulture)}).";
        }
        var forbidden = IndexOfForbidden(text, multiline);
        return forbidden < 0 ? null
            : $"{what} contient un caractère de contrôle ({Describe(text[forbidden])}, position {(forbidden + 1).ToString(CultureInfo.InvariantCulture)}) : "
                + (multiline ? "seuls les tabulations et les retours à la ligne sont admis." : "il tient sur une ligne, sans caractère de contrôle.");
    }

    /// <summary>
    /// A value as a message quotes it: at most <see cref="QuotedLength"/> characters followed by « … », every
    /// control character written as its code (« U+0000 »), so that a message never carries a raw escape.
    /// </summary>
    public static string Quote(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        var text = new StringBuilder(Math.Min(value.Length, QuotedLength) + 8);
        var i = 0;
        for (var taken = 0; i < value.Length && taken < QuotedLength; i++, taken++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                text.Append(c).Append(value[++i]);
            }
            else if (char.IsControl(c) || char.IsSurrogate(c))
            {
                text.Append(Describe(c));
            }
            else
            {
                text.Append(c);
            }
        }
        return i < value.Length ? text.Append('…').ToString() : text.ToString();
    }

    /// <summary>« U+0000 ».</summary>
    private static string Describe(char c) => $"U+{((int)c).ToString("X4", CultureInfo.InvariantCulture)}";
}
