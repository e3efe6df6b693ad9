namespace Barometre.Cli.Tests;

/// <summary>
/// Data files are readable by their owner only: the SQLite database and its -wal and -shm files, the data folder the
/// command creates, and what the command line writes (the invitation links hold their tokens); an older database
/// readable by others is tightened, and the command says so.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FileModeTest : IAsyncLifetime
{
    private const string Model = "maturite-numerique-2019";
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateFolder = Private | UnixFileMode.UserExecute;
    private const UnixFileMode WorldReadable = Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private CliStore _store = null!;

    public async ValueTask InitializeAsync()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "file modes are Unix's");
        _store = await CliStore.CreateAsync(postgres: false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    private async Task<string> CreateCampaignAsync(string data)
    {
        var panel = _store.File("panel.csv", "code;nom;type;population;region;email\nA1;Alpha;commune;1200;Bretagne;a@exemple.fr\nB2;Beta;commune;800;Bretagne;b@exemple.fr\n");
        var run = await Cli.RunAsync(["campaign", "create", "--model", Model, "--name", "Baromètre", "--panel", panel, "--data", data]);
        Assert.True(run.ExitCode == 0, run.Error);
        return run.Out.Trim();
    }

    private static string[] DatabaseFiles(string data) =>
        [.. Directory.GetFiles(data, "barometre.db*").Order(StringComparer.Ordinal)];

    [Fact]
    public async Task NewDataFolder_FolderIs0700AndEveryDatabaseFile0600()
    {
        var data = Path.Combine(_store.DataDirectory, "nouveau", "donnees");

        await CreateCampaignAsync(data);

        Assert.Equal(PrivateFolder, File.GetUnixFileMode(data));
        var files = DatabaseFiles(data);
        Assert.Contains(Path.Combine(data, "barometre.db"), files);
        Assert.Contains(Path.Combine(data, "barometre.db-wal"), files);
        Assert.All(files, file => Assert.Equal((file, Private), (file, File.GetUnixFileMode(file))));
    }

    [Fact]
    public async Task WorldReadableDatabase_IsTightenedWithANotice()
    {
        var data = _store.DataDirectory;
        await CreateCampaignAsync(data);
        var files = DatabaseFiles(data);
        foreach (var file in files)
        {
            File.SetUnixFileMode(file, WorldReadable);
        }

        var run = await Cli.RunAsync(["campaign", "list", "--data", data]);

        Assert.Equal(0, run.ExitCode);
        Assert.All(files, file =>
        {
            Assert.Equal((file, Private), (file, File.GetUnixFileMode(file)));
            Assert.Contains($"barometre : « {file} » était lisible par d'autres comptes : ses droits sont réduits à 0600 (propriétaire seul).", run.Error, StringComparison.Ordinal);
        });
        var again = await Cli.RunAsync(["campaign", "list", "--data", data]);
        Assert.Equal("", again.Error);
    }

    [Fact]
    public async Task ServerStart_TightensAWorldReadableDatabase()
    {
        var data = _store.DataDirectory;
        await CreateCampaignAsync(data);
        var database = Path.Combine(data, "barometre.db");
        File.SetUnixFileMode(database, WorldReadable);

        await using (var server = await _store.ServerAsync())
        {
            await server.StartAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(Private, File.GetUnixFileMode(database));
    }

    [Fact]
    public async Task Outputs_InvitationLinksAndResults_Are0600()
    {
        var campaign = await CreateCampaignAsync(_store.DataDirectory);
        var links = _store.File("liens.csv");
        File.WriteAllText(links, "ancien");
        File.SetUnixFileMode(links, WorldReadable);

        var invitations = await Cli.RunAsync(["campaign", "invitations", "-c", campaign, "--base-url", "https://barometre.exemple.fr", "--out", links, "--data", _store.DataDirectory]);
        var compute = CliRun.Of("demo", "--summary-only", "--out", Path.Combine(_store.DataDirectory, "demo"), "-n", "6");

        Assert.Equal((0, 0), (invitations.ExitCode, compute.ExitCode));
        Assert.Contains("https://barometre.exemple.fr/q/", File.ReadAllText(links), StringComparison.Ordinal);
        Assert.Equal(Private, File.GetUnixFileMode(links));
        Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(_store.DataDirectory, "demo", "resultats.json")));
        Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(_store.DataDirectory, "demo", "panel-synthetique.csv")));
    }
}
