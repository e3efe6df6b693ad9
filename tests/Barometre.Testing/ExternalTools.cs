using Barometre.Reports.Pdf;

namespace Barometre.Testing;

/// <summary>
/// The programs some tests need (Debian's chromium, poppler-utils, node with npm's axe-core, ajv, smtp-server and oidc-provider), or
/// skip/fail (<see cref="TestEnvironment"/>).
/// </summary>
public static class ExternalTools
{
    /// <summary>The chromium executable the PDF printer would use.</summary>
    public static string Chromium() =>
        ChromiumPdfPrinter.FindChromium() is { } path && File.Exists(path)
            ? path
            : Missing("chromium", $"apt-get install -y chromium, or {ChromiumPdfPrinter.ExecutableVariable} naming an existing executable");

    /// <summary>A poppler tool (pdftotext, pdfinfo, pdftoppm, pdftohtml).</summary>
    public static string Poppler(string tool) => OnPath(tool) ?? Missing(tool, "apt-get install -y poppler-utils");

    /// <summary>node_modules/axe-core/axe.min.js above the test's folder (npm ci at the repository root).</summary>
    public static string AxeCore() => NodeModule(Path.Combine("axe-core", "axe.min.js")) ?? Missing("axe-core", "npm ci (at the repository root)");

    /// <summary>The node executable on the PATH (npm's packages run with it).</summary>
    public static string Node() => OnPath("node") ?? Missing("node", "apt-get install -y nodejs npm");

    /// <summary>The node_modules folder above the test's folder that holds <paramref name="package"/> (npm ci at the repository root).</summary>
    public static string NodeModules(string package) =>
        NodeModule(Path.Combine(package, "package.json")) is { } manifest
            ? Path.GetDirectoryName(Path.GetDirectoryName(manifest)!)!
            : Missing(package, "npm ci (at the repository root)");

    /// <summary>The node_modules folder holding npm's smtp-server (the e-mail tests' mail server), and node to run it.</summary>
    public static (string Node, string NodeModules) SmtpServer() => (Node(), NodeModules("smtp-server"));

    /// <summary>The node_modules folder holding npm's hoodiecrow-imap (the bounce tests' IMAP server), and node to run it.</summary>
    public static (string Node, string NodeModules) ImapServer() => (Node(), NodeModules("hoodiecrow-imap"));

    /// <summary>The node_modules folder holding npm's oidc-provider (the sign-in tests' OpenID Connect provider), and node to run it.</summary>
    public static (string Node, string NodeModules) OidcProvider() => (Node(), NodeModules("oidc-provider"));

    /// <summary>A file of node_modules above the test's folder, or null.</summary>
    private static string? NodeModule(string file)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var path = Path.Combine(directory.FullName, "node_modules", file);
            if (File.Exists(path))
            {
                return path;
            }
        }
        return null;
    }

    private static string? OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(File.Exists);

    private static string Missing(string what, string install)
    {
        TestEnvironment.SkipOrFail($"*** {what} is not installed: this test needs it ({install}). ***");
        return "";
    }
}
