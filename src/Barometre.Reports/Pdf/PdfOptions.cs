namespace Barometre.Reports.Pdf;

/// <summary>What <see cref="ChromiumPdfPrinter.PrintAsync"/> adds around the document: the page footer.</summary>
public sealed record PdfOptions
{
    /// <summary>Text shown on the left of every page footer (plain text: it is HTML-escaped). None when null or empty.</summary>
    public string? FooterText { get; init; }

    /// <summary>Whether the footer shows « page / pages » on the right. True by default.</summary>
    public bool PageNumbers { get; init; } = true;
}
