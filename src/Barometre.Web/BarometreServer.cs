namespace Barometre.Web;

/// <summary>What <c>barometre serve</c> starts the app with.</summary>
/// <param name="DataDirectory">The data folder (SQLite file).</param>
/// <param name="Database">A PostgreSQL connection string, or null for SQLite (then BAROMETRE_DATABASE if set).</param>
/// <param name="Urls">The addresses to listen on, « http://127.0.0.1:5000 »; null for the default.</param>
public sealed record ServerSettings(string DataDirectory, string? Database = null, string? Urls = null);

/// <summary>Builds the web app outside Program.cs: the CLI's <c>serve</c> and <c>demo</c>, and tests that need a real server.</summary>
public static class BarometreServer
{
    /// <summary>Builds (and migrates the database of) the app with these settings; start it with RunAsync or StartAsync.</summary>
    public static async Task<WebApplication> BuildAsync(ServerSettings settings, string[]? args = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args ?? [],
            ApplicationName = typeof(BarometreServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration["Barometre:DataDirectory"] = settings.DataDirectory;
        if (settings.Database is not null)
        {
            builder.Configuration["Barometre:Database"] = settings.Database;
        }
        if (settings.Urls is not null)
        {
            builder.WebHost.UseUrls(settings.Urls);
        }
        // The CLI says in French where it listens and why it could not start: the host's English lines, and its
        // stack trace for an address in use, would only repeat it.
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        builder.AddBarometreWeb();
        var app = builder.Build();
        await app.UseBarometreWebAsync();
        return app;
    }
}
