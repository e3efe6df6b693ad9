using Barometre.Reports.Pdf;

namespace Barometre.Cli;

/// <summary>Printing a command's documents to PDF through chromium, and what happens when it is missing.</summary>
internal static class PdfOutput
{
    /// <summary>Runs <paramref name="action"/>; when chromium is missing, says how to install it and returns <see cref="ExitCodes.MissingTool"/>.</summary>
    public static async Task<int> RunAsync(CliContext context, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (ChromiumNotFoundException e)
        {
            context.Error.WriteLine($"barometre : {e.Message}");
            return ExitCodes.MissingTool;
        }
    }

    /// <summary>Prints one document, <paramref name="footer"/> at the foot of each page, <paramref name="subject"/> in its properties.</summary>
    /// <exception cref="ChromiumNotFoundException">chromium is not installed.</exception>
    public static async Task<byte[]> PrintAsync(string html, string footer, string subject, CancellationToken cancellationToken)
    {
        await using var printer = await ChromiumPdfPrinter.StartAsync(cancellationToken: cancellationToken);
        return await printer.PrintAsync(html, new PdfOptions { FooterText = footer, Subject = subject }, cancellationToken);
    }
}
