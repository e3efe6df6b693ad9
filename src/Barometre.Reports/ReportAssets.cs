namespace Barometre.Reports;

/// <summary>The stylesheet and font every report embeds, read once from the assembly.</summary>
internal static class ReportAssets
{
    private static readonly Lazy<string> LazyFontData = new(() => Convert.ToBase64String(Read("report-font.woff2")));

    private static readonly Lazy<string> LazyStyle = new(() =>
    {
        using var css = new StreamReader(Open("report.css"));
        // The font travels inside the document, so that a report renders the same offline and in its PDF.
        return FontFace("block") + "\n" + css.ReadToEnd();
    });

    private static readonly Lazy<string> LazyEvolutionStyle = new(() =>
    {
        using var css = new StreamReader(Open("evolution.css"));
        return css.ReadToEnd();
    });

    /// <summary>The @font-face rule of the reports' font (Source Sans 3, every weight), the font as a data URI.</summary>
    /// <param name="display">Its <c>font-display</c>: « block » where text must never show in another font, « swap » where it must show anyway.</param>
    public static string FontFace(string display) =>
        $"@font-face {{ font-family: \"Source Sans 3\"; font-style: normal; font-weight: 200 900; font-display: {display}; "
        + $"src: url(data:font/woff2;base64,{LazyFontData.Value}) format(\"woff2\"); }}";

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
