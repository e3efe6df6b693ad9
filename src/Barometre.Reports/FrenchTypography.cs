using System.Text;

namespace Barometre.Reports;

/// <summary>
/// French spacing for a whole document: no-break spaces inside « guillemets » and before « : », narrow
/// no-break spaces before « ; », « ! », « ? » and the « % » of a number, so that a line never starts
/// with a mark that belongs to the previous word. Applied once to the rendered HTML, after its stylesheet.
/// </summary>
internal static class FrenchTypography
{
    private const char NoBreakSpace = '\u00A0';
    private const char NarrowNoBreakSpace = '\u202F';

    public static string Apply(string html)
    {
        // The stylesheet (and its embedded font) is left alone: CSS has its own syntax.
        var end = html.IndexOf("</style>", StringComparison.Ordinal);
        var start = end < 0 ? 0 : end;
        var text = new StringBuilder(html.Length);
        text.Append(html, 0, start);
        for (var i = start; i < html.Length; i++)
        {
            var c = html[i];
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
