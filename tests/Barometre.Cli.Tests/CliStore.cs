using System.Globalization;
using Barometre.Web;
using Microsoft.AspNetCore.Builder;

namespace Barometre.Cli.Tests;

/// <summary>A test class whose every test gets a fresh <see cref="CliStore"/> (SQLite or PostgreSQL).</summary>
public abstract class CliStoreTest : IAsyncLifetime
{
    private CliStore? _store;

    protected abstract bool Postgres { get; }

    private protected CliStore Store => _store ?? throw new InvalidOperationException("The store is made in InitializeAsync.");

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _store = await CliStore.CreateAsync(Postgres);

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// A fresh store for one test (<see cref="TestStore"/>: a temporary data folder and, on PostgreSQL, a fresh database
/// <c>barometre_cli_&lt;guid&gt;</c>), with the files a test writes beside the data. PostgreSQL unreachable: skipped
/// loudly, or failed with CI=true.
/// </summary>
internal sealed class CliStore : IAsyncDisposable
{
    private readonly TestStore _store;

    private CliStore(TestStore store) => _store = store;

    public string DataDirectory => _store.DataDirectory;

    /// <summary>The fresh PostgreSQL database's connection string; null on SQLite.</summary>
    public string? ConnectionString => _store.ConnectionString;

    /// <summary>The options naming this store: <c>--data DIR</c> (and <c>--database …</c> on PostgreSQL).</summary>
    public string[] Options => ConnectionString is null ? ["--data", DataDirectory] : ["--data", DataDirectory, "--database", ConnectionString];

    /// <summary>A file in the data folder, written with <paramref name="content"/> when given; its path.</summary>
    public string File(string name, string? content = null)
    {
        var path = Path.Combine(DataDirectory, name);
        if (content is not null)
        {
            System.IO.File.WriteAllText(path, content);
        }
        return path;
    }

    public static async Task<CliStore> CreateAsync(bool postgres)
    {
        var store = TestStore.Of(postgres, "barometre-cli", maxPoolSize: 10);
        try
        {
            await store.CreateAsync();
            store.RequireAvailable();
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
        return new CliStore(store);
    }

    /// <summary>The web app on this store, on a free loopback port (start it with StartAsync).</summary>
    public Task<WebApplication> ServerAsync() =>
        BarometreServer.BuildAsync(new ServerSettings(DataDirectory, ConnectionString, "http://127.0.0.1:0"),
            ["--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command=None"]);

    public async ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await _store.DisposeAsync();
    }
}

/// <summary>Runs the command in process with a stdin and a clock, off the test's thread.</summary>
internal static class Cli
{
    public static Task<CliRun> RunAsync(string[] args, string? stdin = null, TimeProvider? clock = null, IReadOnlyDictionary<string, string?>? settings = null) => Task.Run(() =>
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        using var input = new StringReader(stdin ?? "");
        var exitCode = BarometreCli.Run(args, stdout, stderr, clock, input, settings);
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    });
}
