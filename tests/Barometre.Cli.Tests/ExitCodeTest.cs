using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Barometre.Cli.Tests;

/// <summary>
/// Each way a command can fail that is not a bug, and its documented exit code: invalid input 1; a file, folder or
/// database the environment makes unusable 5, with a French message that names it and says what to do; 3 never.
/// </summary>
public sealed class ExitCodeTest : IDisposable
{
    private const string Model = "maturite-numerique-2019";

    private readonly TempDirectory _temp = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    /// <summary>A panel's responses CSV that computes (the demo's synthetic panel).</summary>
    private string Panel()
    {
        var demo = CliRun.Of("demo", "--summary-only", "--out", _temp.Path, "-n", "12");
        Assert.Equal(0, demo.ExitCode);
        return _temp.File("panel-synthetique.csv");
    }

    private string[] Compute(string output) => ["compute", "--model", Model, "--responses", Panel(), "--bootstrap", "0", "--out", output];

    private static void AssertEnvironment(CliRun run, params string[] expected)
    {
        Assert.True(run.ExitCode == ExitCodes.Environment, $"exit code {run.ExitCode}: {run.Error}");
        Assert.StartsWith("barometre : ", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("erreur interne", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        foreach (var part in expected)
        {
            Assert.Contains(part, run.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Compute_OutInAReadOnlyFolder_ExitsFiveNamingTheFile()
    {
        var args = Compute("");
        using var folder = RestrictedFolder.ReadOnly(_temp.File("lecture-seule"));
        args[^1] = folder.File("resultats.json");

        var run = CliRun.Of(args);

        AssertEnvironment(run, $"impossible d'écrire « {folder.File("resultats.json")} »", "accessible en écriture");
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void Compute_OutOnAFullDisk_ExitsFiveAndLeavesNeitherFileNorTemporary()
    {
        var args = Compute("");
        using var folder = RestrictedFolder.Full(_temp.File("plein"));
        args[^1] = folder.File("resultats.json");

        var run = CliRun.Of(args);

        AssertEnvironment(run, $"« {folder.File("resultats.json")} »", "disque plein");
        Assert.Equal([".remplissage"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Compute_OutIsAFolder_ExitsFive()
    {
        var args = Compute(_temp.Path);

        var run = CliRun.Of(args);

        AssertEnvironment(run, $"« {_temp.Path} »", "dossier");
    }

    [Fact]
    public void Compute_OutIsADevice_WritesThroughItAndReportsAFullOne()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess, "device nodes are made with mknod, as root");
        var args = Compute("");
        var nul = MakeDevice("nul", 3);
        var full = MakeDevice("plein", 7);

        args[^1] = nul;
        var written = CliRun.Of(args);
        args[^1] = full;
        var refused = CliRun.Of(args);

        Assert.Equal(0, written.ExitCode);
        Assert.Equal("character special file", FileType(nul));
        AssertEnvironment(refused, $"« {full} »", "disque plein");
        Assert.Equal("character special file", FileType(full));
    }

    [Fact]
    public void Compute_ResponsesIsAFolderOrMissing_ExitsOne()
    {
        var folder = CliRun.Of("compute", "--model", Model, "--responses", _temp.Path);
        var missing = CliRun.Of("compute", "--model", Model, "--responses", _temp.File("absent.csv"));

        Assert.Equal((ExitCodes.InvalidInput, ExitCodes.InvalidInput), (folder.ExitCode, missing.ExitCode));
        Assert.Contains(_temp.Path, folder.Error, StringComparison.Ordinal);
        Assert.Contains(_temp.File("absent.csv"), missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ReportAll_OutInAReadOnlyFolder_ExitsFive()
    {
        var panel = Panel();
        using var folder = RestrictedFolder.ReadOnly(_temp.File("lecture-seule"));

        var run = CliRun.Of("report", "--model", Model, "--responses", panel, "--all", "--out", folder.File("rapports"));

        AssertEnvironment(run, folder.File("rapports"));
    }

    [Fact]
    public async Task Campaign_DataInAReadOnlyFolder_ExitsFiveNamingTheFolder()
    {
        using var folder = RestrictedFolder.ReadOnly(_temp.File("lecture-seule"));
        var data = folder.File("donnees");

        var run = await Cli.RunAsync(["campaign", "list", "--data", data]);

        AssertEnvironment(run, $"le dossier des données « {data} »", "système de fichiers en lecture seule", "--data");
    }

    [Fact]
    public async Task Campaign_DataIsAFile_ExitsFive()
    {
        var data = _temp.File("donnees", "pas un dossier");

        var run = await Cli.RunAsync(["campaign", "list", "--data", data]);

        AssertEnvironment(run, $"« {data} »", "--data");
    }

    [Fact]
    public async Task Campaign_DataOnAFullDisk_ExitsFive()
    {
        using var folder = RestrictedFolder.Full(_temp.File("plein"));

        var run = await Cli.RunAsync(["campaign", "list", "--data", folder.Path]);

        AssertEnvironment(run, "SQLite", "disque plein");
    }

    [Fact]
    public async Task Campaign_PostgresUnreachable_ExitsFiveNamingTheServer()
    {
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        var run = await Cli.RunAsync(["campaign", "list", "--data", _temp.Path, "--database", $"Host=127.0.0.1;Port={port};Username=barometre;Password=x;Database=barometre;Timeout=3"]);

        AssertEnvironment(run, $"PostgreSQL 127.0.0.1:{port}/barometre", "injoignable", "--database");
        Assert.DoesNotContain("Password", run.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Campaign_PostgresWrongPassword_ExitsFive()
    {
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(PostgresTestStore.AdminConnection)
        {
            Password = "pas-le-bon-mot-de-passe",
            Timeout = 5,
        };

        var run = await Cli.RunAsync(["campaign", "list", "--data", _temp.Path, "--database", connection.ConnectionString]);

        AssertEnvironment(run, "PostgreSQL");
        Assert.DoesNotContain("pas-le-bon-mot-de-passe", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invitations_OutInAReadOnlyFolder_ExitsFive()
    {
        await using var store = await CliStore.CreateAsync(postgres: false);
        var panel = store.File("panel.csv", "code;nom;type;population;region;email\nA1;Alpha;commune;1200;Bretagne;a@exemple.fr\n");
        var created = await Cli.RunAsync(["campaign", "create", "--model", Model, "--name", "Baromètre", "--panel", panel, .. store.Options]);
        Assert.Equal(0, created.ExitCode);
        using var folder = RestrictedFolder.ReadOnly(store.File("lecture-seule"));

        var run = await Cli.RunAsync(["campaign", "invitations", "-c", created.Out.Trim(), "--base-url", "https://barometre.exemple.fr", "--out", folder.File("liens.csv"), .. store.Options]);

        AssertEnvironment(run, $"« {folder.File("liens.csv")} »");
        // Nothing was issued: the tokens were never written anywhere, so the collectivité still has no link.
        var again = await Cli.RunAsync(["campaign", "invitations", "-c", created.Out.Trim(), "--base-url", "https://barometre.exemple.fr", "--out", store.File("liens.csv"), .. store.Options]);
        Assert.Equal((0, "1 lien émis"), (again.ExitCode, again.Out.Split(" dans ")[0]));
    }

    [Fact]
    public async Task Serve_AddressInUse_ExitsFiveNamingIt()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        var run = await Cli.RunAsync(["serve", "--data", _temp.Path, "--urls", url]).WaitAsync(TimeSpan.FromSeconds(60), Ct);

        AssertEnvironment(run, $"« {url} »", "--urls");
    }

    /// <summary>
    /// The command as a user runs it (its own process, the host's console logging included): the address in use is
    /// said in one French line — not also by the host's log with a stack trace, nor its English start-up lines.
    /// </summary>
    [Fact]
    public async Task Serve_AddressInUse_AsAProcess_PrintsOneLineAndNoStackTrace()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";
        var executable = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "barometre.exe" : "barometre");
        var start = new ProcessStartInfo(executable, ["serve", "--data", _temp.Path, "--urls", url])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Remove("BAROMETRE_DEBUG");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct);

        Assert.Equal(ExitCodes.Environment, process.ExitCode);
        var everything = (await output + await error).Trim();
        Assert.Equal(
            $"barometre : l'adresse « {url} » est déjà utilisée par un autre programme (un autre barometre serve ?) : arrêtez-le ou choisissez-en une autre avec --urls.",
            everything);
    }

    [Fact]
    public void Help_ListsEveryExitCode()
    {
        var run = CliRun.Of("--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Codes de sortie :", run.Out, StringComparison.Ordinal);
        Assert.All(ExitCodes.All, code => Assert.Contains($"  {code.Code}  {code.Meaning}", run.Out, StringComparison.Ordinal));
    }

    private string MakeDevice(string name, int minor)
    {
        var path = _temp.File(name);
        using var mknod = Process.Start("mknod", [path, "c", "1", minor.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        mknod.WaitForExit();
        Assert.Equal(0, mknod.ExitCode);
        return path;
    }

    private static string FileType(string path)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%F", path]) { RedirectStandardOutput = true })!;
        return stat.StandardOutput.ReadToEnd().Trim();
    }
}
