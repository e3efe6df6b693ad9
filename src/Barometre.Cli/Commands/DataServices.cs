using Barometre.Data.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Barometre.Cli.Commands;

/// <summary>
/// Data's services as the web app registers them, on the database the options name (migrated first), with the app's
/// data-protection keys: what a command needs to read or write invitation links as the server does.
/// </summary>
internal static class DataServices
{
    public static async Task<ServiceProvider> OpenAsync(DatabaseSettings settings, TimeProvider clock, CancellationToken cancellationToken)
    {
        // Opened once as every command opens it: migrated, and a database that cannot be used explained.
        await (await DataOptions.OpenAsync(settings, cancellationToken)).DisposeAsync();
        var services = new ServiceCollection().AddLogging().AddSingleton(clock).AddBarometreData(settings);
        services.AddBarometreDataProtection();
        return services.BuildServiceProvider();
    }
}
