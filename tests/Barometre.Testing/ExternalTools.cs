using Barometre.Reports.Pdf;

namespace Barometre.Testing;

/// <summary>The programs some tests need (Debian's chromium, poppler-utils, node with npm's axe-core and ajv), or skip/fail (<see cref="TestEnvironment"/>).</summary>
public static class ExternalTools
{
    /// <summary>The chromium executable the PDF printer would use.</summary>
    public static string Chromium() =>
        ChromiumPdfPrinter.FindChromium() is { } path && File.Exists(path)
            ? path
            : Missing("chromium", $"apt-get install -y chromium, or {ChromiumPdfPrinter.ExecutableVariable} naming an existing executable");

    /// <summary>A poppler tool (pdftotext, pdfinfo, pdftoppm, pdftohtml).</summary>
    public static string Poppler(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(File.Exists)
        ?? Missing(tool, "apt-get install -y poppler-utils");

    /// <summary>node_modules/axe-core/axe.min.js above the test's folder (npm ci at the repository root).</summary>
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

    /// <summary>The node executable on the PATH (npm's packages run with it).</summary>
    public static string Node() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "node"))
            .FirstOrDefault(File.Exists)
        ?? Missing("node", "apt-get install -y nodejs npm");

    /// <summary>The node_modules folder above the test's folder that holds <paramref name="package"/> (npm ci at the repository root).</summary>
    public static string NodeModules(string package)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var modules = Path.Combine(directory.FullName, "node_modules");
            if (File.Exists(Path.Combine(modules, package, "package.json")))
            {
                return modules;
            }
        }
        return Missing(package, "npm ci (at the repository root)");
    }

    private static string Missing(string what, string install)
    {
        TestEnvironment.SkipOrFail($"*** {what} is not installed: this test needs it ({install}). ***");
        return "";
    }
}
