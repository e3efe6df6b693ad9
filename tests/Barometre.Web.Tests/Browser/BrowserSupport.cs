using Barometre.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Barometre.Web.Tests.Browser;

/// <summary>
/// The app as <c>barometre serve</c> builds it (<see cref="BarometreServer"/>), on Kestrel on a free
/// loopback port, on a test class's database: what a real browser needs.
/// </summary>
internal sealed class LiveServer : IAsyncDisposable
{
    private LiveServer(WebApplication app, string address)
    {
        App = app;
        Address = address;
    }

    public WebApplication App { get; }

    /// <summary>« http://127.0.0.1:PORT ».</summary>
    public string Address { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>Starts the app, with <paramref name="settings"/> (« --Barometre:Oidc:Authority=… ») on its command line.</summary>
    public static async Task<LiveServer> StartAsync(TestDatabase database, CancellationToken cancellationToken, params string[] settings)
    {
        ArgumentNullException.ThrowIfNull(database);
        database.RequireAvailable();
        // Warnings only: EF Core's SQL and the hosting messages would drown the tests' output (and its failed
        // first read of the migrations history on a fresh database is expected).
        var app = await BarometreServer.BuildAsync(
            new ServerSettings(database.DataDirectory, database.ConnectionString, "http://127.0.0.1:0"),
            ["--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command=None", .. settings]);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new LiveServer(app, address.TrimEnd('/'));
    }

    /// <summary>An HTTP client on the server (for API checks).</summary>
    public HttpClient Client() => new() { BaseAddress = new Uri(Address) };

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
