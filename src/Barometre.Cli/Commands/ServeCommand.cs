using System.CommandLine;
using Barometre.Web;
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
            await using var app = await BarometreServer.BuildAsync(new ServerSettings(settings.DataDirectory, settings.PostgresConnection, parse.GetValue(urls)));
            await app.StartAsync(cancellationToken);
            context.Out.WriteLine($"Baromètre écoute sur {string.Join(", ", app.Urls)} ({settings.Describe()}). Ctrl+C pour arrêter.");
            await app.WaitForShutdownAsync(cancellationToken);
            return ExitCodes.Success;
        });
        return command;
    }
}
