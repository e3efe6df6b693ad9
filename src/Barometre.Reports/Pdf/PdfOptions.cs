namespace Barometre.Reports.Pdf;

/// <summary>What <see cref="ChromiumPdfPrinter.PrintAsync"/> adds around the document: the page footer and the PDF's document information.</summary>
public sealed record PdfOptions
{
    /// <summary>Text shown on the left of every page footer (plain text: it is HTML-escaped). None when null or empty.</summary>
    public string? FooterText { get; init; }

    /// <summary>Whether the footer shows « page / pages » on the right. True by default.</summary>
    public bool PageNumbers { get; init; } = true;

    /// <summary>The PDF's title; null or empty keeps the document's &lt;title&gt;, which chromium writes.</summary>
    public string? Title { get; init; }

    /// <summary>The PDF's author: whoever publishes the document (the barometer's organiser). « Baromètre » by default.</summary>
    public string Author { get; init; } = PdfDocumentInfo.Creator;

    /// <summary>The PDF's subject (« Étude du baromètre », « Rapport confidentiel »…); none when null or empty.</summary>
    public string? Subject { get; init; }
}
