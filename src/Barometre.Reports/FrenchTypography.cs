using System.Text;

namespace Barometre.Reports;

/// <summary>
/// French typography for a whole document: no-break spaces inside « guillemets » and before « : », narrow
/// no-break spaces before « ; », « ! », « ? » and the « % » of a number, so that a line never starts
/// with a mark that belongs to the previous word; the typographic apostrophe « ’ » for the straight one,
/// in the text and in attribute values (labels, titles), whether the template or the model wrote it.
/// Applied once to the rendered HTML, after its stylesheet.
/// </summary>
internal static class FrenchTypography
{
    private const char NoBreakSpace = '\u00A0';
    private const char NarrowNoBreakSpace = '\u202F';

    /// <summary>The typographic apostrophe (U+2019).</summary>
    public const char Apostrophe = '\u2019';

    // How the renderer's encoder writes a straight apostrophe it prints from a value.
    private const string EncodedApostrophe = "&#x27;";

    public static string Apply(string html)
    {
        // The stylesheet (and its embedded font) is left alone: CSS has its own syntax.
        var styleStart = html.IndexOf("<style", StringComparison.Ordinal);
        var styleEnd = styleStart < 0 ? -1 : html.IndexOf("</style>", styleStart, StringComparison.Ordinal);
        var text = new StringBuilder(html.Length);
        var inTag = false;
        var inCode = false;
        for (var i = 0; i < html.Length; i++)
        {
            var c = html[i];
            if (i == styleStart && styleEnd > 0)
            {
                text.Append(html, i, styleEnd - i);
                i = styleEnd - 1;
                continue;
            }
            if (c == '<')
            {
                inTag = true;
                // Code (commands, identifiers) keeps its characters as typed.
                if (string.CompareOrdinal(html, i, "<code", 0, 5) == 0)
                {
                    inCode = true;
                }
                else if (string.CompareOrdinal(html, i, "</code>", 0, 7) == 0)
                {
                    inCode = false;
                }
            }
            else if (c == '>')
            {
                inTag = false;
            }
            else if (!inCode && c == '&' && string.CompareOrdinal(html, i, EncodedApostrophe, 0, EncodedApostrophe.Length) == 0)
            {
                // Encoded, it is text or an attribute's value, never markup.
                text.Append(Apostrophe);
                i += EncodedApostrophe.Length - 1;
                continue;
            }
            else if (!inCode && !inTag && c == '\'')
            {
                text.Append(Apostrophe);
                continue;
            }
            if (c == ' ' && i + 1 < html.Length)
            {
                var next = html[i + 1];
                if (next is '»' or ':')
                {
                    text.Append(NoBreakSpace);
                    continue;
                }
                if (next == '%' && i > 0 && char.IsAsciiDigit(html[i - 1]))
                {
                    text.Append(NarrowNoBreakSpace);
                    continue;
                }
                if (next is ';' or '!' or '?' && (i + 2 >= html.Length || html[i + 2] is ' ' or '<' or '\n' or '"'))
                {
                    text.Append(NarrowNoBreakSpace);
                    continue;
                }
            }
            text.Append(c);
            if (c == '«' && i + 1 < html.Length && html[i + 1] == ' ')
            {
                text.Append(NoBreakSpace);
                i++;
            }
        }
        return text.ToString();
    }
}
