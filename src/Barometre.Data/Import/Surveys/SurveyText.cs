using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Barometre.Data.Import.Surveys;

/// <summary>How texts and codes of survey tools become the model's texts and ids.</summary>
internal static partial class SurveyText
{
    /// <summary>
    /// The plain text of a survey tool's HTML text: tags removed (a line break for <c>br</c> and block ends),
    /// entities decoded, blanks collapsed; scripts and styles dropped with their content. Null when nothing is left.
    /// </summary>
    public static string? Plain(string? html)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            return null;
        }
        var text = ScriptOrStyle().Replace(html, " ");
        text = LineBreak().Replace(text, "\n");
        text = Tag().Replace(text, " ");
        text = WebUtility.HtmlDecode(text);
        var lines = text.Split('\n')
            .Select(line => Blanks().Replace(line, " ").Trim())
            .Where(line => line.Length > 0);
        var plain = string.Join('\n', lines);
        return plain.Length == 0 ? null : plain;
    }

    /// <summary>
    /// An id made of a name: lower-case ASCII letters and digits, words joined by hyphens (« Stratégie et
    /// gouvernance » → « strategie-et-gouvernance »), at most 60 characters; null when the name has no letter or digit.
    /// </summary>
    public static string? Slug(string? name, int maxLength = 60)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }
        var slug = new StringBuilder();
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            var lower = char.ToLowerInvariant(c);
            if (lower is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                slug.Append(lower);
            }
            else if (lower is 'œ' or 'æ')
            {
                slug.Append(lower == 'œ' ? "oe" : "ae");
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }
        var text = slug.ToString().Trim('-');
        if (text.Length > maxLength)
        {
            text = text[..maxLength].TrimEnd('-');
        }
        return text.Length == 0 ? null : text;
    }

    /// <summary>A code as a part of a question id: ASCII letters, digits, « _ » and « - » kept, in lower case; anything else becomes « _ ».</summary>
    public static string Code(string code)
    {
        var text = new StringBuilder(code.Length);
        foreach (var c in code.Trim())
        {
            text.Append(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '-' ? char.ToLowerInvariant(c) : '_');
        }
        return text.ToString();
    }

    /// <summary>A list of values for a message: the first ones quoted, then how many more.</summary>
    public static string List(IEnumerable<string> values, int max = 8)
    {
        var all = values.ToList();
        var shown = string.Join(", ", all.Take(max).Select(value => $"« {TextRules.Quote(value)} »"));
        return all.Count > max ? $"{shown}… ({all.Count.ToString(CultureInfo.InvariantCulture)} en tout)" : shown;
    }

    // Texts of survey files are untrusted: linear-time matching, whatever they hold.
    [GeneratedRegex(@"<script\b[^>]*>.*?</script\s*>|<style\b[^>]*>.*?</style\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.NonBacktracking)]
    private static partial Regex ScriptOrStyle();

    [GeneratedRegex(@"<br\s*/?>|</(p|div|li|h[1-6]|tr)\s*>", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex LineBreak();

    [GeneratedRegex(@"<[^>]*>", RegexOptions.NonBacktracking)]
    private static partial Regex Tag();

    [GeneratedRegex(@"[ \t\r\u00A0]+", RegexOptions.NonBacktracking)]
    private static partial Regex Blanks();
}
