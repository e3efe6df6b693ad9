namespace Barometre.Reports;

/// <summary>The font of the reports (Source Sans 3, SIL Open Font License), for the web pages to use too.</summary>
public static class ReportFont
{
    private static readonly Lazy<byte[]> Bytes = new(() =>
    {
        using var stream = typeof(ReportFont).Assembly.GetManifestResourceStream("report-font.woff2")!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    });

    /// <summary>The WOFF2 file.</summary>
    public static ReadOnlyMemory<byte> Woff2 => Bytes.Value;
}
