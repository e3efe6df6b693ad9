using System.CommandLine;
using Barometre.Core;
using Barometre.Core.Evolution;
using Barometre.Core.Model;
using Barometre.Core.Responses;
using Barometre.Core.Results;
using Barometre.Core.Synthetic;
using Barometre.Data.Import;

namespace Barometre.Cli.Commands;

/// <summary>
/// <c>barometre demo</c>: a synthetic panel on the 2019 model and its follow-up on the 2021 model, computed,
/// compared and summarised — the first thing a new user runs.
/// </summary>
internal static class DemoCommand
{
    public const string ModelId = "maturite-numerique-2019";

    /// <summary>The model of the follow-up edition, which follows <see cref="ModelId"/>.</summary>
    public const string FollowUpModelId = "maturite-numerique-2021";

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

    /// <summary>
    /// The follow-up's theme effects, for its new questions and new collectivités: the 2019 ones, the renamed theme's
    /// kept, the new themes' added (inclusion about average, the young « numérique responsable » behind).
    /// </summary>
    private static readonly Dictionary<string, double> FollowUpThemeOffsets = new(StudyThemeOffsets, StringComparer.Ordinal)
    {
        ["numerique-educatif"] = StudyThemeOffsets["education"],
        ["inclusion"] = 0.2,
        ["numerique-responsable"] = -0.6,
    };

    /// <summary>
    /// The themes that move unlike the others between the two editions: cybersecurity, education and the
    /// administration progress most, the territory's infrastructure hardly moves.
    /// </summary>
    private static readonly Dictionary<string, LevelDrift> FollowUpDrifts = new(StringComparer.Ordinal)
    {
        ["cybersecurite"] = new(0.50, 0.04),
        ["numerique-educatif"] = new(0.45, 0.05),
        ["administration"] = new(0.40, 0.06),
        ["amenagement"] = new(0.10, 0.10),
    };

    public static Command Create(CliContext context)
    {
        var respondents = new Option<int>("--respondents", "-n")
        {
            Description = "Nombre de collectivités fictives du panel",
            DefaultValueFactory = _ => 40,
        };
        CommonOptions.Validated(respondents, n => n >= 1, "--respondents doit valoir au moins 1.");
        // The panel is drawn with its own seed; its figures are computed with the default computation seed, as compute,
        // report and the web campaigns compute them: one panel gives the same figures in every output.
        var panelSeed = new Option<long>("--panel-seed")
        {
            Description = "Graine du tirage du panel fictif et de son édition suivante (0 à 4294967295)",
            DefaultValueFactory = _ => 2019,
        };
        CommonOptions.Validated(panelSeed, value => value is >= 0 and <= BarometerOptions.MaxSeed, "--panel-seed doit être un entier de 0 à 4294967295.");
        var seed = CommonOptions.Seed();
        var output = new Option<string?>("--out", "-o")
        {
            Description = "Dossier où écrire le panel (panel-synthetique.csv), ses résultats (resultats.json), le panel de l'édition suivante (panel-synthetique-2021.csv) et l'évolution (evolution.json)",
        };
        var summaryOnly = new Option<bool>("--summary-only") { Description = "Afficher seulement la synthèse du panel fictif, sans campagne ni serveur" };
        var noServe = new Option<bool>("--no-serve") { Description = "Préparer la campagne de démonstration sans lancer le serveur" };
        var urls = ServeCommand.UrlsOption();
        var data = new DataOptions();
        data.Data.DefaultValueFactory = _ => "barometre-demo";
        var command = new Command("demo", "Démonstration : un panel fictif d'une quarantaine de collectivités sur le référentiel 2019 et son édition suivante sur le référentiel 2021, leur synthèse et leur évolution, puis leurs campagnes servies sur le web (espace opérateur, liens de réponse, résultats publiés).")
        {
            respondents, panelSeed, seed, output, summaryOnly, noServe, urls,
        };
        data.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var editions = Summarise(context, parse.GetValue(respondents), parse.GetValue(panelSeed), parse.GetValue(seed), parse.GetValue(output), parse.GetValue(summaryOnly));
            if (parse.GetValue(summaryOnly))
            {
                return ExitCodes.Success;
            }
            return await DemoCampaign.RunAsync(context, data.Settings(parse), editions, parse.GetValue(urls)!, serve: !parse.GetValue(noServe), cancellationToken);
        });
        return command;
    }

    private static DemoEditions Summarise(CliContext context, int respondents, long panelSeed, long seed, string? outputDirectory, bool summaryOnly)
    {
        var model = ShippedModels.Load(ModelId);
        var panel = SyntheticPanel.Generate(model, new SyntheticPanelOptions { Respondents = respondents, Seed = panelSeed, ThemeOffsets = StudyThemeOffsets });
        var options = BarometerOptions.Default with { Seed = seed };
        var results = Barometer.Compute(panel, options);

        var summary = new DemoSummary(context.Out);
        summary.Write(model, panel, results);
        WriteWarnings(context, results, "");

        var mapping = new EditionMapping(model, ShippedModels.Load(FollowUpModelId));
        var followUp = SyntheticPanel.NextEdition(mapping, panel, FollowUpOptions(panelSeed));
        var followUpResults = Barometer.Compute(followUp, options);
        var evolution = EditionComparison.Compare(mapping, panel, results, followUp, followUpResults, options);
        summary.WriteEvolution(mapping, evolution);
        WriteWarnings(context, followUpResults, $" (édition {mapping.Later.Edition})");

        if (outputDirectory is not null)
        {
            var panelPath = Path.Combine(outputDirectory, "panel-synthetique.csv");
            var resultsPath = Path.Combine(outputDirectory, "resultats.json");
            var followUpPath = Path.Combine(outputDirectory, $"panel-synthetique-{mapping.Later.Edition}.csv");
            var evolutionPath = Path.Combine(outputDirectory, "evolution.json");
            AtomicFile.Write(panelPath, stream => ResponsesCsv.Write(panel, stream));
            AtomicFile.Write(resultsPath, stream => ResultsJson.Write(results, stream));
            AtomicFile.Write(followUpPath, stream => ResponsesCsv.Write(followUp, stream));
            AtomicFile.Write(evolutionPath, stream => EvolutionJson.Write(evolution, stream));
            summary.WriteFiles(panelPath, resultsPath, seed);
            summary.WriteEvolutionFiles(followUpPath, evolutionPath, panelPath, seed);
        }
        else if (summaryOnly)
        {
            summary.WriteNextSteps();
        }
        return new DemoEditions(panel, followUp);
    }

    /// <summary>
    /// The follow-up edition's settings: drawn with the seed + 2 (2021 for the default 2019), 15 % of the panel
    /// leaving and 15 % joining, answers a level up about 30 % of the time and down 8 %, more on some themes. Those who
    /// leave and those who join each number at least the secrecy threshold (5) on the default panel of 40, so that the
    /// published dashboard can show the intervals and tests of the change, not only the change
    /// (docs/publication.md, « Changes between editions »).
    /// </summary>
    private static SyntheticEditionOptions FollowUpOptions(long seed) => new()
    {
        Seed = seed + 2,
        Leave = 0.15,
        ThemeDrifts = FollowUpDrifts,
        ThemeOffsets = FollowUpThemeOffsets,
    };

    private static void WriteWarnings(CliContext context, BarometerResults results, string edition)
    {
        foreach (var warning in results.Warnings)
        {
            context.Error.WriteLine($"avertissement{edition} : {warning}");
        }
    }
}

/// <summary>The demo's two synthetic editions: the panel on the 2019 model and its follow-up on the 2021 model.</summary>
/// <param name="First">The first edition's answers.</param>
/// <param name="FollowUp">The follow-up's answers (<see cref="SyntheticPanel.NextEdition"/>).</param>
internal sealed record DemoEditions(ResponseSet First, ResponseSet FollowUp);
