using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace Barometre.Data.Storage;

/// <summary>ASP.NET Core data protection with the app's keys in the database: the web app and the commands protect alike.</summary>
public static class BarometreDataProtection
{
    /// <summary>
    /// Registers data protection under the app's name, its keys kept in <see cref="BarometreDbContext.DataProtectionKeys"/>,
    /// so that every instance of the app and every command reads what another protected (cookies, invitation links).
    /// </summary>
    public static IServiceCollection AddBarometreDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("Barometre").PersistKeysToDbContext<BarometreDbContext>();
        return services;
    }
}
