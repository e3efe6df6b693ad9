namespace Barometre.Reports;

/// <summary>The stylesheet and font every report embeds, read once from the assembly.</summary>
internal static class ReportAssets
{
    private static readonly Lazy<string> LazyStyle = new(() =>
    {
        var font = Convert.ToBase64String(Read("report-font.woff2"));
        using var css = new StreamReader(Open("report.css"));
        // The font travels inside the document, so that a report renders the same offline and in its PDF.
        return "@font-face { font-family: \"Source Sans 3\"; font-style: normal; font-weight: 200 900; font-display: block; "
            + $"src: url(data:font/woff2;base64,{font}) format(\"woff2\"); }}\n" + css.ReadToEnd();
    });

    private static readonly Lazy<string> LazyEvolutionStyle = new(() =>
    {
        using var css = new StreamReader(Open("evolution.css"));
        return css.ReadToEnd();
    });

    /// <summary>The CSS of a report, with the font as a data URI.</summary>
    public static string Style => LazyStyle.Value;

    /// <summary>The rules a document showing an evolution between editions adds to <see cref="Style"/>.</summary>
    public static string EvolutionStyle => LazyEvolutionStyle.Value;

    private static Stream Open(string name) =>
        typeof(ReportAssets).Assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"Missing report asset {name}.");

    private static byte[] Read(string name)
    {
        using var stream = Open(name);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
