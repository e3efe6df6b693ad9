using System.CommandLine;
using Barometre.Core;
using Barometre.Core.Responses;
using Barometre.Core.Results;
using Barometre.Core.Synthetic;
using Barometre.Data.Import;

namespace Barometre.Cli.Commands;

/// <summary>
/// <c>barometre demo</c>: a synthetic panel on the 2019 model, computed and summarised — the first
/// thing a new user runs.
/// </summary>
internal static class DemoCommand
{
    public const string ModelId = "maturite-numerique-2019";

    /// <summary>
    /// Theme effects of the synthetic panel, on the 0–4 scale, ordered as the 2019 study found the
    /// themes: the digital economy most mature, the « territoire serviciel » least.
    /// </summary>
    private static readonly Dictionary<string, double> StudyThemeOffsets = new(StringComparer.Ordinal)
    {
        ["ecosysteme"] = 1.0,
        ["amenagement"] = 0.8,
        ["education"] = 0.7,
        ["cybersecurite"] = 0.4,
        ["services"] = 0.3,
        ["administration"] = 0.0,
        ["strategie"] = -0.1,
        ["donnee"] = -0.3,
        ["territoire"] = -0.8,
    };

    public static Command Create(CliContext context)
    {
        var respondents = new Option<int>("--respondents", "-n")
        {
            Description = "Nombre de collectivités fictives du panel",
            DefaultValueFactory = _ => 40,
        };
        CommonOptions.Validated(respondents, n => n >= 1, "--respondents doit valoir au moins 1.");
        var seed = CommonOptions.Seed(defaultValue: 2019);
        var output = new Option<string?>("--out", "-o")
        {
            Description = "Dossier où écrire le panel (panel-synthetique.csv) et ses résultats (resultats.json)",
        };
        var summaryOnly = new Option<bool>("--summary-only") { Description = "Afficher seulement la synthèse du panel fictif, sans campagne ni serveur" };
        var noServe = new Option<bool>("--no-serve") { Description = "Préparer la campagne de démonstration sans lancer le serveur" };
        var urls = ServeCommand.UrlsOption();
        var data = new DataOptions();
        data.Data.DefaultValueFactory = _ => "barometre-demo";
        var command = new Command("demo", "Démonstration : un panel fictif d'une quarantaine de collectivités sur le référentiel 2019, sa synthèse, puis une campagne en cours servie sur le web (espace opérateur et liens de réponse).")
        {
            respondents, seed, output, summaryOnly, noServe, urls,
        };
        data.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var panel = Summarise(context, parse.GetValue(respondents), parse.GetValue(seed), parse.GetValue(output), parse.GetValue(summaryOnly));
            if (parse.GetValue(summaryOnly))
            {
                return ExitCodes.Success;
            }
            return await DemoCampaign.RunAsync(context, data.Settings(parse), panel, parse.GetValue(urls)!, serve: !parse.GetValue(noServe), cancellationToken);
        });
        return command;
    }

    private static ResponseSet Summarise(CliContext context, int respondents, long seed, string? outputDirectory, bool summaryOnly)
    {
        var model = ShippedModels.Load(ModelId);
        var panel = SyntheticPanel.Generate(model, new SyntheticPanelOptions { Respondents = respondents, Seed = seed, ThemeOffsets = StudyThemeOffsets });
        var results = Barometer.Compute(panel, BarometerOptions.Default with { Seed = seed });

        var summary = new DemoSummary(context.Out);
        summary.Write(model, panel, results);
        foreach (var warning in results.Warnings)
        {
            context.Error.WriteLine($"avertissement : {warning}");
        }

        if (outputDirectory is not null)
        {
            var panelPath = Path.Combine(outputDirectory, "panel-synthetique.csv");
            var resultsPath = Path.Combine(outputDirectory, "resultats.json");
            AtomicFile.Write(panelPath, stream => ResponsesCsv.Write(panel, stream));
            AtomicFile.Write(resultsPath, stream => ResultsJson.Write(results, stream));
            summary.WriteFiles(panelPath, resultsPath, seed);
        }
        else if (summaryOnly)
        {
            summary.WriteNextSteps();
        }
        return panel;
    }
}
