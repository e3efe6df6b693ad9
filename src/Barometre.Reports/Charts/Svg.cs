using System.Globalization;
using System.Text;

namespace Barometre.Reports.Charts;

/// <summary>Small helpers for writing SVG by hand: invariant numbers, text wrapping, marker paths.</summary>
public static class Svg
{
    /// <summary>A coordinate for an SVG attribute: invariant culture, at most two decimals.</summary>
    public static string N(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>
    /// Splits a label into lines of at most <paramref name="maxChars"/> characters at spaces (a word
    /// longer than a line stays whole), keeping at most <paramref name="maxLines"/> lines with « … ».
    /// </summary>
    public static IReadOnlyList<string> Wrap(string text, int maxChars, int maxLines = 3)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > maxChars)
            {
                lines.Add(line.ToString());
                line.Clear();
            }
            if (line.Length > 0)
            {
                line.Append(' ');
            }
            line.Append(word);
        }
        if (line.Length > 0)
        {
            lines.Add(line.ToString());
        }
        if (lines.Count > maxLines)
        {
            lines = lines.Take(maxLines).ToList();
            lines[^1] = lines[^1].TrimEnd('.', ',', ';') + "…";
        }
        return lines;
    }

    /// <summary>The path of a marker of size <paramref name="size"/> centred on (x, y).</summary>
    public static string Marker(MarkerShape shape, double x, double y, double size)
    {
        var h = size / 2;
        return shape switch
        {
            MarkerShape.Square => $"M{N(x - h)},{N(y - h)}h{N(size)}v{N(size)}h{N(-size)}z",
            MarkerShape.Triangle => $"M{N(x)},{N(y - (h * 1.15))}L{N(x + (h * 1.15))},{N(y + (h * 0.85))}L{N(x - (h * 1.15))},{N(y + (h * 0.85))}z",
            MarkerShape.Diamond => $"M{N(x)},{N(y - (h * 1.3))}L{N(x + (h * 1.3))},{N(y)}L{N(x)},{N(y + (h * 1.3))}L{N(x - (h * 1.3))},{N(y)}z",
            _ => $"M{N(x - h)},{N(y)}a{N(h)},{N(h)} 0 1,0 {N(size)},0a{N(h)},{N(h)} 0 1,0 {N(-size)},0z",
        };
    }

    /// <summary>A stable id for chart elements (titles, descriptions) from a prefix and a key.</summary>
    public static string Id(string prefix, string key)
    {
        var id = new StringBuilder(prefix).Append('-');
        foreach (var c in key)
        {
            id.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-');
        }
        return id.ToString();
    }
}
