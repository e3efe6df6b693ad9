using PdfSharp.Pdf.IO;

namespace Barometre.Reports.Pdf;

/// <summary>
/// The PDF's document information dictionary (what a reader's « Propriétés » shows): chromium writes the
/// &lt;title&gt; as Title and itself (« HeadlessChrome ») as Creator, with no author or subject and no way
/// to say otherwise, so the printed file is opened again with PDFsharp and its Info dictionary rewritten.
/// Pages, structure tags and outline are kept as chromium wrote them.
/// </summary>
internal static class PdfDocumentInfo
{
    /// <summary>The application named as the PDF's creator.</summary>
    public const string Creator = "Baromètre";

    /// <summary>Returns <paramref name="pdf"/> with <paramref name="options"/>' title, author and subject, and Baromètre as creator.</summary>
    public static byte[] Apply(byte[] pdf, PdfOptions options)
    {
        using var input = new MemoryStream(pdf, writable: false);
        using var document = PdfReader.Open(input, PdfDocumentOpenMode.Modify);
        var info = document.Info;
        if (!string.IsNullOrEmpty(options.Title))
        {
            info.Title = options.Title;
        }
        info.Author = options.Author;
        if (!string.IsNullOrEmpty(options.Subject))
        {
            info.Subject = options.Subject;
        }
        info.Creator = Creator;
        using var output = new MemoryStream(pdf.Length + 1024);
        document.Save(output, closeStream: false);
        return output.ToArray();
    }
}
