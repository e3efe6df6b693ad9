namespace Barometre.Reports.Tests;

/// <summary>
/// External tools some tests need (Debian's chromium, poppler-utils, npm's axe-core). On a developer
/// machine without them those tests are skipped with a loud reason; in CI (CI=true), where .ci/run
/// installs them, their absence fails the test instead.
/// </summary>
internal static class Requirements
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The chromium executable, or skip/fail.</summary>
    public static string Chromium() =>
        Pdf.ChromiumPdfPrinter.FindChromium() is { } path && File.Exists(path)
            ? path
            : Missing("chromium", "apt-get install -y chromium, or BAROMETRE_CHROMIUM naming an existing executable");

    /// <summary>A poppler tool (pdftotext, pdfinfo, pdftoppm), or skip/fail.</summary>
    public static string Poppler(string tool) =>
        FindOnPath(tool) ?? Missing(tool, "apt-get install -y poppler-utils");

    /// <summary>axe.min.js from the repository's node_modules (npm ci), or skip/fail.</summary>
    public static string AxeCore()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var path = Path.Combine(directory.FullName, "node_modules", "axe-core", "axe.min.js");
            if (File.Exists(path))
            {
                return path;
            }
        }
        return Missing("axe-core", "npm ci (at the repository root)");
    }

    private static string? FindOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(File.Exists);

    private static string Missing(string what, string install)
    {
        var message = $"*** {what} is not installed: this test needs it ({install}). ***";
        if (InCi)
        {
            Assert.Fail(message + " CI=true, so this is a failure, not a skip.");
        }
        Assert.Skip(message);
        return "";
    }
}
