using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Barometre.Reports.Pdf;

namespace Barometre.Reports.Tests;

/// <summary>
/// The PDF step against Debian's real headless chromium, checked with poppler's pdfinfo/pdftotext/pdffonts.
/// </summary>
public sealed partial class ChromiumPdfPrinterTest
{
    private const string Nnbsp = "\u202F";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>A small French page: narrow no-break spaces, accents, an inline SVG; <paramref name="pages"/> pages via CSS breaks.</summary>
    private static string FrenchDocument(int pages = 1, string marker = "Saint-Étienne", string pageCss = "@page { size: A4; margin: 16mm 14mm 18mm; }")
    {
        var body = new StringBuilder();
        for (var page = 1; page <= pages; page++)
        {
            body.Append(CultureInfo.InvariantCulture, $"""
                <section style="break-after: {(page < pages ? "page" : "auto")}">
                  <h2>Partie {page} — {marker}</h2>
                  <p class="key">Taux de dématérialisation : <strong>51{Nnbsp}%</strong> ; médiane régionale : 47{Nnbsp}%.</p>
                  <p>Les démarches en ligne progressent ; l'accessibilité reste à améliorer (élus, agents, usagers).</p>
                  <svg width="300" height="90" role="img" aria-label="Taux : 51 %, médiane : 47 %">
                    <rect x="0" y="10" width="153" height="30" fill="#1d4f91"/>
                    <rect x="0" y="50" width="141" height="30" fill="#9aabbc"/>
                  </svg>
                </section>
                """);
        }
        return $$"""
            <!doctype html>
            <html lang="fr">
            <head>
              <meta charset="utf-8">
              <title>Baromètre numérique — {{marker}}</title>
              <style>
                {{pageCss}}
                body { font-family: 'DejaVu Sans', sans-serif; font-size: 10.5pt; color: #222; margin: 0; }
                .key { background: #eef3fa; padding: 4mm; }
              </style>
            </head>
            <body>
              <h1>Baromètre de maturité numérique</h1>
              {{body}}
            </body>
            </html>
            """;
    }

    [Fact]
    public async Task PrintAsync_FrenchPage_ReturnsPdf()
    {
        ExternalTools.Chromium();
        await using var printer = await ChromiumPdfPrinter.StartAsync(cancellationToken: Cancellation);

        var pdf = await printer.PrintAsync(FrenchDocument(), cancellationToken: Cancellation);

        Assert.True(pdf.Length > 1000, $"{pdf.Length} bytes");
        Assert.Equal("%PDF-", Encoding.ASCII.GetString(pdf, 0, 5));
    }

    [Theory]
    [InlineData("@page { size: A4; margin: 16mm 14mm 18mm; }")]
    [InlineData("")] // no @page rule: the printer's own A4 default
    public async Task PrintAsync_ThreePageDocument_IsA4PortraitWithThreePages(string pageCss)
    {
        ExternalTools.Chromium();
        var pdfinfo = ExternalTools.Poppler("pdfinfo");
        await using var printer = await ChromiumPdfPrinter.StartAsync(cancellationToken: Cancellation);

        var pdf = await printer.PrintAsync(FrenchDocument(pages: 3, pageCss: pageCss), cancellationToken: Cancellation);
        var info = await PopplerAsync(pdfinfo, pdf);

        Assert.Matches(@"(?m)^Pages:\s+3$", info);
        var size = PageSizeLine().Match(info);
        Assert.True(size.Success, info);
        // A4 is 595.28 × 841.89 pt; chromium quantizes page sizes in steps of 0.96 pt.
        Assert.InRange(double.Parse(size.Groups["width"].Value, CultureInfo.InvariantCulture), 595.28 - 1, 595.28 + 1);
        Assert.InRange(double.Parse(size.Groups["height"].Value, CultureInfo.InvariantCulture), 841.89 - 1, 841.89 + 1);
        Assert.Contains("(A4)", size.Value, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^Tagged:\s+yes$", info);
    }

    [Fact]
    public async Task PrintAsync_Text_HasFrenchTextAndPageNumberFooter()
    {
        ExternalTools.Chromium();
        var pdftotext = ExternalTools.Poppler("pdftotext");
        await using var printer = await ChromiumPdfPrinter.StartAsync(cancellationToken: Cancellation);

        var pdf = await printer.PrintAsync(
            FrenchDocument(pages: 3),
            new PdfOptions { FooterText = "Baromètre 2025 — Commune <d'essai> & co" },
            Cancellation);
        var text = Normalize(await PopplerAsync(pdftotext, pdf, "-layout"));

        Assert.Contains("Baromètre de maturité numérique", text, StringComparison.Ordinal);
        Assert.Contains("Partie 2 — Saint-Étienne", text, StringComparison.Ordinal);
        Assert.Contains("Taux de dématérialisation : 51 %", text, StringComparison.Ordinal);
        Assert.Contains("l'accessibilité reste à améliorer (élus, agents, usagers)", text, StringComparison.Ordinal);
        // The footer, on every page: the text as given (escaped, not interpreted), then « page / pages ».
        var pages = text.Split('\f', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(3, pages.Length);
        for (var page = 1; page <= 3; page++)
        {
            Assert.Matches($@"Baromètre 2025 — Commune <d'essai> & co\s+{page}\s*/\s*3\s*$", pages[page - 1]);
        }
    }

    [Fact]
    public async Task PrintAsync_WithoutPageNumbersOrFooterText_PrintsNoFooter()
    {
        ExternalTools.Chromium();
        var pdftotext = ExternalTools.Poppler("pdftotext");
        await using var printer = await ChromiumPdfPrinter.StartAsync(cancellationToken: Cancellation);

        var pdf = await printer.PrintAsync(FrenchDocument(pages: 2), new PdfOptions { PageNumbers = false }, Cancellation);
        var text = Normalize(await PopplerAsync(pdftotext, pdf, "-layout"));

        Assert.Contains("Partie 2", text, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\d\s*/\s*2", text);
    }

    [Fact]
    public async Task PrintAsync_FontAsDataUri_IsLoadedBeforePrinting()
    {
        ExternalTools.Chromium();
        var pdffonts = ExternalTools.Poppler("pdffonts");
        await using var font = typeof(ChromiumPdfPrinter).Assembly.GetManifestResourceStream("report-font.woff2")
            ?? throw new InvalidOperationException("report-font.woff2 is not embedded");
        using var bytes = new MemoryStream();
        await font.CopyToAsync(bytes, Cancellation);
        var html = FrenchDocument().Replace(
            "body {",
            $"@font-face {{ font-family: 'Rapport'; src: url(data:font/woff2;base64,{Convert.ToBase64String(bytes.ToArray())}) format('woff2'); }}\n"
                + "body { font-family: 'Rapport', 'DejaVu Sans', sans-serif !important; } body {",
            StringComparison.Ordinal);
        await using var printer = await ChromiumPdfPrinter.StartAsync(cancellationToken: Cancellation);

        var pdf = await printer.PrintAsync(html, cancellationToken: Cancellation);
        var fonts = await PopplerAsync(pdffonts, pdf);

        // Source Sans 3 is a variable font, which chromium embeds as unnamed Type 3 fonts; the
        // fallback (DejaVu Sans) would appear by name had the page been printed before the font loaded.
        Assert.Contains("Type 3", fonts, StringComparison.Ordinal);
        Assert.DoesNotContain("DejaVu", fonts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrintAsync_Footer_IsSetInTheDocumentsFont()
    {
        ExternalTools.Chromium();
        var pdffonts = ExternalTools.Poppler("pdffonts");
        var pdftotext = ExternalTools.Poppler("pdftotext");
        // A document in the reports' own stylesheet, footer text in characters the font has.
        var html = FrenchDocument(pages: 2).Replace("<style>", $"<style>{ReportAssets.Style}\n", StringComparison.Ordinal)
            .Replace("font-family: 'DejaVu Sans', sans-serif;", "", StringComparison.Ordinal)
            .Replace("l'accessibilité", "l’accessibilité", StringComparison.Ordinal);
        await using var printer = await ChromiumPdfPrinter.StartAsync(cancellationToken: Cancellation);

        var pdf = await printer.PrintAsync(html, new PdfOptions { FooterText = "Baromètre 2025 — Saint-Étienne" }, Cancellation);

        // Source Sans 3 comes out as unnamed Type 3 fonts; the footer's former system font (Liberation Sans) or any
        // other would be named.
        var fonts = await PopplerAsync(pdffonts, pdf);
        Assert.Contains("Type 3", fonts, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?m)^\w+\+", fonts);
        Assert.Matches(@"Baromètre 2025 — Saint-Étienne\s+2\s*/\s*2", Normalize(await PopplerAsync(pdftotext, pdf, "-layout")));
    }

    [Fact]
    public async Task PrintAsync_DocumentInformation_HasAuthorSubjectAndBarometreAsCreator()
    {
        ExternalTools.Chromium();
        var pdfinfo = ExternalTools.Poppler("pdfinfo");
        await using var printer = await ChromiumPdfPrinter.StartAsync(cancellationToken: Cancellation);

        var given = await PopplerAsync(pdfinfo, await printer.PrintAsync(
            FrenchDocument(pages: 2), new PdfOptions { Author = "France urbaine", Subject = "Étude du baromètre 2025" }, Cancellation));
        var defaults = await PopplerAsync(pdfinfo, await printer.PrintAsync(
            FrenchDocument(pages: 1), new PdfOptions { Title = "Rapport confidentiel" }, Cancellation));

        Assert.Matches(@"(?m)^Title:\s+Baromètre numérique — Saint-Étienne$", given);
        Assert.Matches(@"(?m)^Author:\s+France urbaine$", given);
        Assert.Matches(@"(?m)^Subject:\s+Étude du baromètre 2025$", given);
        Assert.Matches(@"(?m)^Creator:\s+Baromètre$", given);
        Assert.DoesNotContain("HeadlessChrome", given, StringComparison.Ordinal);
        // The rewritten file keeps its pages and its structure (accessible, tagged PDF).
        Assert.Matches(@"(?m)^Pages:\s+2$", given);
        Assert.Matches(@"(?m)^Tagged:\s+yes$", given);
        Assert.Matches(@"(?m)^Title:\s+Rapport confidentiel$", defaults);
        Assert.Matches(@"(?m)^Author:\s+Baromètre$", defaults);
        Assert.DoesNotMatch(@"(?m)^Subject:", defaults);
    }

    [Fact]
    public async Task PrintAsync_LargeDocument_Prints()
    {
        ExternalTools.Chromium();
        var pdfinfo = ExternalTools.Poppler("pdfinfo");
        await using var printer = await ChromiumPdfPrinter.StartAsync(cancellationToken: Cancellation);
        // About 3 MB, like a report with a few embedded fonts and images: an inert data: URI image.
        var padding = Convert.ToBase64String(new byte[2_300_000]);
        var html = FrenchDocument(pages: 2).Replace(
            "</body>",
            $"<img alt=\"\" width=\"1\" height=\"1\" style=\"display:none\" src=\"data:application/octet-stream;base64,{padding}\"></body>",
            StringComparison.Ordinal);
        Assert.True(html.Length > 3_000_000);

        var pdf = await printer.PrintAsync(html, cancellationToken: Cancellation);

        Assert.Matches(@"(?m)^Pages:\s+2$", await PopplerAsync(pdfinfo, pdf));
    }

    [Fact]
    public async Task PrintAsync_EightDocumentsConcurrently_EachComesOutRight()
    {
        ExternalTools.Chromium();
        var pdftotext = ExternalTools.Poppler("pdftotext");
        await using var printer = await ChromiumPdfPrinter.StartAsync(cancellationToken: Cancellation);
        var documents = Enumerable.Range(1, 8)
            .Select(i => (Marker: $"Commune-{i:00}", Pages: 1 + (i % 3)))
            .ToArray();

        var pdfs = await Task.WhenAll(documents.Select(d =>
            printer.PrintAsync(FrenchDocument(d.Pages, d.Marker), new PdfOptions { FooterText = d.Marker }, Cancellation)));

        for (var i = 0; i < documents.Length; i++)
        {
            var (marker, pages) = documents[i];
            var text = Normalize(await PopplerAsync(pdftotext, pdfs[i], "-layout"));
            Assert.Contains($"Partie {pages} — {marker}", text, StringComparison.Ordinal);
            Assert.Matches($@"{marker}\s+{pages}\s*/\s*{pages}", text);
            Assert.DoesNotContain($"Partie {pages + 1}", text, StringComparison.Ordinal);
            foreach (var other in documents.Where(d => d.Marker != marker))
            {
                Assert.DoesNotContain(other.Marker, text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task PrintAsync_ManyDocumentsOverFewTabs_ReusesTabsCorrectly()
    {
        ExternalTools.Chromium();
        var pdftotext = ExternalTools.Poppler("pdftotext");
        await using var printer = await ChromiumPdfPrinter.StartAsync(cancellationToken: Cancellation);

        // Sequential prints go through the same tab: each must show its own document, never the previous one.
        for (var i = 1; i <= 5; i++)
        {
            var text = Normalize(await PopplerAsync(pdftotext, await printer.PrintAsync(FrenchDocument(1, $"Numéro-{i}"), cancellationToken: Cancellation)));
            Assert.Contains($"Numéro-{i}", text, StringComparison.Ordinal);
            Assert.DoesNotContain($"Numéro-{i - 1}", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PrintAsync_HungPage_TimesOutAndPrinterStillWorks()
    {
        ExternalTools.Chromium();
        await using var printer = await ChromiumPdfPrinter.StartAsync(cancellationToken: Cancellation);
        printer.PrintTimeout = TimeSpan.FromSeconds(3);

        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            printer.PrintAsync("<!doctype html><html><body><p>Jamais</p><script>for (;;) {}</script></body></html>", cancellationToken: Cancellation));
        Assert.Contains("dépassé 3 s", error.Message, StringComparison.Ordinal);

        printer.PrintTimeout = TimeSpan.FromSeconds(60);
        var pdf = await printer.PrintAsync(FrenchDocument(), cancellationToken: Cancellation);
        Assert.Equal("%PDF-", Encoding.ASCII.GetString(pdf, 0, 5));
    }

    [Fact]
    public async Task PrintAsync_ChromiumKilled_ThrowsWithItsExitCode()
    {
        ExternalTools.Chromium();
        await using var printer = await ChromiumPdfPrinter.StartAsync(cancellationToken: Cancellation);
        await printer.PrintAsync(FrenchDocument(), cancellationToken: Cancellation);
        using (var chromium = Process.GetProcessById(printer.ProcessId))
        {
            chromium.Kill(entireProcessTree: true);
            await chromium.WaitForExitAsync(Cancellation);
        }

        // A DevTools failure comes out as the printer's own exception, with what chromium became.
        var error = await Assert.ThrowsAsync<ChromiumPdfException>(() => printer.PrintAsync(FrenchDocument(), cancellationToken: Cancellation));

        Assert.Contains("Chromium s'est arrêté (code ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrintAsync_Headings_BecomeTheOutline()
    {
        ExternalTools.Chromium();
        var pdftohtml = ExternalTools.Poppler("pdftohtml");
        await using var printer = await ChromiumPdfPrinter.StartAsync(cancellationToken: Cancellation);

        var pdf = await printer.PrintAsync(FrenchDocument(pages: 3), cancellationToken: Cancellation);
        var xml = await PopplerAsync(pdftohtml, pdf, "-xml", "-i", "-q", "-stdout");

        // pdftohtml -xml writes the document outline (bookmarks) as nested <outline> lists of <item page="n">.
        var outline = OutlineItem().Matches(xml).Select(m => (Page: m.Groups["page"].Value, Title: m.Groups["title"].Value)).ToArray();
        Assert.Equal(
            [("1", "Baromètre de maturité numérique"), ("1", "Partie 1 — Saint-Étienne"), ("2", "Partie 2 — Saint-Étienne"), ("3", "Partie 3 — Saint-Étienne")],
            outline);
        Assert.Matches(@"<outline>\s*<item[^>]*>Baromètre de maturité numérique</item>\s*<outline>", xml);
    }

    [Fact]
    public async Task PrintAsync_Cancelled_ThrowsOperationCanceled()
    {
        ExternalTools.Chromium();
        await using var printer = await ChromiumPdfPrinter.StartAsync(cancellationToken: Cancellation);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => printer.PrintAsync(FrenchDocument(), cancellationToken: cancellation.Token));
    }

    [Fact]
    public async Task StartAsync_MissingExecutable_ThrowsNotFoundWithInstallHint()
    {
        ExternalTools.Chromium();

        var error = await Assert.ThrowsAsync<ChromiumNotFoundException>(() =>
            ChromiumPdfPrinter.StartAsync("/nonexistent/chromium", Cancellation));

        Assert.Contains("Chromium est introuvable", error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install chromium", error.Message, StringComparison.Ordinal);
        Assert.Contains("BAROMETRE_CHROMIUM", error.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/chromium", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_ExecutableThatIsNotChromium_ThrowsWithItsStderr()
    {
        ExternalTools.Chromium();
        var script = Path.Combine(Path.GetTempPath(), $"pas-chromium-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\necho 'je ne suis pas chromium' >&2\nexit 3\n", Cancellation);
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var error = await Assert.ThrowsAsync<ChromiumPdfException>(() => ChromiumPdfPrinter.StartAsync(script, Cancellation));

            Assert.Contains("s'est arrêté au démarrage (code de sortie 3)", error.Message, StringComparison.Ordinal);
            Assert.Contains("je ne suis pas chromium", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public async Task DisposeAsync_Twice_IsHarmless_AndCleansUp()
    {
        ExternalTools.Chromium();
        var printer = await ChromiumPdfPrinter.StartAsync(cancellationToken: Cancellation);
        await printer.PrintAsync(FrenchDocument(), cancellationToken: Cancellation);
        var workDirectory = printer.WorkDirectory;
        using var chromium = Process.GetProcessById(printer.ProcessId);
        Assert.True(Directory.Exists(workDirectory));

        await printer.DisposeAsync();
        await printer.DisposeAsync();

        Assert.True(chromium.HasExited);
        Assert.False(Directory.Exists(workDirectory));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => printer.PrintAsync(FrenchDocument(), cancellationToken: Cancellation));
    }

    [Fact]
    public async Task FindChromium_TheVariableWins_EvenNamingNoFile()
    {
        var found = ExternalTools.Chromium();

        // A wrong setting is reported by StartAsync, not silently replaced by /usr/bin/chromium.
        Assert.Equal("/nonexistent/chromium", ChromiumPdfPrinter.FindChromium("/nonexistent/chromium"));
        Assert.Equal(found, ChromiumPdfPrinter.FindChromium(found));
        Assert.Equal(found, ChromiumPdfPrinter.FindChromium(null));
        var error = await Assert.ThrowsAsync<ChromiumNotFoundException>(() => ChromiumPdfPrinter.StartAsync("/nonexistent/chromium", Cancellation));
        Assert.Contains("BAROMETRE_CHROMIUM", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FooterTemplate_EscapesTheText_AndShowsPageNumbers()
    {
        var template = ChromiumPdfPrinter.FooterTemplate(new PdfOptions { FooterText = "<script>alert('x')</script> & Cie" });

        Assert.NotNull(template);
        Assert.DoesNotContain("<script>", template, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", template, StringComparison.Ordinal);
        Assert.Contains("&amp; Cie", template, StringComparison.Ordinal);
        Assert.Contains("class=\"pageNumber\"", template, StringComparison.Ordinal);
        Assert.Contains("class=\"totalPages\"", template, StringComparison.Ordinal);
        Assert.Null(ChromiumPdfPrinter.FooterTemplate(new PdfOptions { PageNumbers = false }));
    }

    /// <summary>Text extraction renders U+202F and U+00A0 as spaces, or not: compare with plain spaces.</summary>
    private static string Normalize(string text) => text.Replace(Nnbsp, " ", StringComparison.Ordinal).Replace('\u00A0', ' ');

    /// <summary>Runs a poppler tool on the PDF (written to a temporary file) and returns its standard output.</summary>
    private static async Task<string> PopplerAsync(string tool, byte[] pdf, params string[] options)
    {
        var file = Path.Combine(Path.GetTempPath(), $"barometre-test-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(file, pdf, Cancellation);
        try
        {
            var startInfo = new ProcessStartInfo(tool)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = Encoding.UTF8,
            };
            foreach (var option in options)
            {
                startInfo.ArgumentList.Add(option);
            }
            startInfo.ArgumentList.Add(file);
            if (Path.GetFileName(tool) == "pdftotext")
            {
                startInfo.ArgumentList.Add("-"); // to stdout
            }
            using var process = Process.Start(startInfo)!;
            var output = process.StandardOutput.ReadToEndAsync(Cancellation);
            var error = process.StandardError.ReadToEndAsync(Cancellation);
            await process.WaitForExitAsync(Cancellation);
            Assert.True(process.ExitCode == 0, $"{tool} failed ({process.ExitCode}): {await error}");
            return await output;
        }
        finally
        {
            File.Delete(file);
        }
    }

    [GeneratedRegex(@"<item page=""(?<page>\d+)"">(?<title>[^<]*)</item>")]
    private static partial Regex OutlineItem();

    [GeneratedRegex(@"Page size:\s+(?<width>[\d.]+) x (?<height>[\d.]+) pts.*")]
    private static partial Regex PageSizeLine();
}
