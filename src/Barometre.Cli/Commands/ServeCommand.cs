using System.CommandLine;
using Barometre.Data;
using Barometre.Data.Storage;
using Barometre.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;

namespace Barometre.Cli.Commands;

/// <summary><c>barometre serve</c>: the web app (questionnaires, operator pages, API) on SQLite or PostgreSQL.</summary>
internal static class ServeCommand
{
    public const string DefaultUrls = "http://127.0.0.1:5000";

    public static Option<string> UrlsOption() => new("--urls")
    {
        Description = "Adresse(s) d'écoute, séparées par « ; » (derrière un proxy inverse : http://127.0.0.1:PORT)",
        DefaultValueFactory = _ => DefaultUrls,
    };

    public static Command Create(CliContext context)
    {
        var data = new DataOptions();
        var urls = UrlsOption();
        var command = new Command("serve", "Lance l'application web : questionnaires par lien d'invitation, espace opérateur, API.") { urls };
        data.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = data.Settings(parse);
            await using var app = await StartAsync(settings, parse.GetValue(urls)!, cancellationToken);
            context.Out.WriteLine($"Baromètre écoute sur {string.Join(", ", app.Urls)} ({settings.Describe()}). Ctrl+C pour arrêter.");
            await app.WaitForShutdownAsync(cancellationToken);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// The app built (database migrated) and started; what keeps it from starting — the database, the address —
    /// throws an <see cref="EnvironmentException"/> that names it.
    /// </summary>
    public static async Task<WebApplication> StartAsync(DatabaseSettings settings, string urls, CancellationToken cancellationToken)
    {
        WebApplication app;
        try
        {
            app = await BarometreServer.BuildAsync(new ServerSettings(settings.DataDirectory, settings.PostgresConnection, urls));
        }
        catch (Exception e) when (settings.ExplainFailure(e) is { } message)
        {
            throw new EnvironmentException(message, e);
        }
        try
        {
            await app.StartAsync(cancellationToken);
            return app;
        }
        catch (Exception e)
        {
            await app.DisposeAsync();
            if (e is IOException { InnerException: AddressInUseException })
            {
                throw new EnvironmentException(
                    $"l'adresse « {TextRules.Quote(urls)} » est déjà utilisée par un autre programme (un autre barometre serve ?) : arrêtez-le ou choisissez-en une autre avec --urls.", e);
            }
            throw;
        }
    }
}
