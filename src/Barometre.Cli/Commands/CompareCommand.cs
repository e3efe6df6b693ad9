using System.CommandLine;
using Barometre.Core;
using Barometre.Core.Evolution;
using Barometre.Core.Model;
using Barometre.Core.Responses;
using Barometre.Core.Results;
using Barometre.Data.Import;
using Barometre.Reports;

namespace Barometre.Cli.Commands;

/// <summary>
/// <c>barometre compare</c>: two editions (each a model and its answers) in, what changed out — <c>evolution.json</c>
/// (docs/evolution-schema.md), and the evolution document in HTML and PDF; collectivités are matched by code.
/// </summary>
internal static class CompareCommand
{
    public static Command Create(CliContext context)
    {
        var beforeModel = new Option<string>("--before-model")
        {
            Description = "Référentiel de l'édition précédente : fichier YAML ou JSON, ou identifiant d'un référentiel fourni",
            Required = true,
        };
        var before = new Option<string>("--before") { Description = "Réponses de l'édition précédente (CSV large ou classeur .xlsx, sa première feuille)", Required = true };
        var afterModel = new Option<string>("--after-model")
        {
            Description = "Référentiel de l'édition suivante, qui déclare suivre le précédent (follows:) ou est le même",
            Required = true,
        };
        var after = new Option<string>("--after") { Description = "Réponses de l'édition suivante (CSV large ou classeur .xlsx, sa première feuille)", Required = true };
        var output = new Option<string?>("--out", "-o") { Description = "Fichier JSON de l'évolution à écrire (sortie standard quand aucun fichier n'est demandé)" };
        var html = new Option<string?>("--html") { Description = "Document de l'évolution à écrire (HTML autonome) : chiffres d'ensemble, sans l'évolution de chaque collectivité" };
        var pdf = new Option<string?>("--pdf") { Description = "Le même document en PDF (chromium requis)" };
        var seed = CommonOptions.Seed();
        var bootstrap = CommonOptions.Bootstrap();
        var k = CommonOptions.K();
        var command = new Command("compare", "Compare deux éditions du baromètre : évolution de chaque thème, indicateur clé et collectivité, avec intervalles et tests.")
        {
            beforeModel, before, afterModel, after, output, html, pdf, seed, bootstrap, k,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var options = new BarometerOptions { Seed = parse.GetValue(seed), Bootstrap = parse.GetValue(bootstrap), K = parse.GetValue(k) };
            var outputs = new Outputs(parse.GetValue(output), parse.GetValue(html), parse.GetValue(pdf));
            return PdfOutput.RunAsync(context, () => RunAsync(
                context, parse.GetValue(beforeModel)!, parse.GetValue(before)!, parse.GetValue(afterModel)!, parse.GetValue(after)!, outputs, options, cancellationToken));
        });
        return command;
    }

    private sealed record Outputs(string? Json, string? Html, string? Pdf);

    private static async Task<int> RunAsync(
        CliContext context, string beforeModel, string beforePath, string afterModel, string afterPath, Outputs outputs, BarometerOptions options, CancellationToken cancellationToken)
    {
        if (Load(context, beforeModel, beforePath, afterModel, afterPath, options) is not { } editions)
        {
            return ExitCodes.InvalidInput;
        }
        var evolution = editions.Evolution;
        if (outputs is { Json: null, Html: null, Pdf: null })
        {
            context.Out.WriteLine(EvolutionJson.Serialize(evolution));
            return ExitCodes.Success;
        }
        string? document = null;
        byte[]? printed = null;
        if (outputs.Html is not null || outputs.Pdf is not null)
        {
            var previous = new PreviousEdition(editions.Mapping, evolution);
            await using (var renderer = new ReportRenderer())
            {
                document = await renderer.RenderEvolutionAsync(new EvolutionReportData(previous, context.Today));
            }
            // Printed before anything is written: without chromium, no file is.
            if (outputs.Pdf is not null)
            {
                printed = await PdfOutput.PrintAsync(
                    document, $"{editions.Mapping.Later.Title} — évolution de {previous.EarlierLabel} à {previous.LaterLabel}",
                    $"Évolution du baromètre de {previous.EarlierLabel} à {previous.LaterLabel}", cancellationToken);
            }
        }
        if (outputs.Json is not null)
        {
            AtomicFile.Write(outputs.Json, stream => EvolutionJson.Write(evolution, stream));
        }
        if (outputs.Html is not null)
        {
            AtomicFile.Write(outputs.Html, document!);
            context.Out.WriteLine($"Document de l'évolution écrit dans {outputs.Html}.");
        }
        if (outputs.Pdf is not null)
        {
            AtomicFile.Write(outputs.Pdf, printed!);
            context.Out.WriteLine($"PDF écrit dans {outputs.Pdf}.");
        }
        return ExitCodes.Success;
    }

    /// <summary>
    /// Loads both editions, computes each and compares them; prints the problems and returns null when an input is invalid.
    /// The one loader of two editions: <c>compare</c>, and <c>report --previous</c> (whose later edition is the report's, read from
    /// <paramref name="afterSheet"/> when it is a workbook's sheet other than the first).
    /// </summary>
    public static ComparedEditions? Load(
        CliContext context, string beforeModel, string beforePath, string afterModel, string afterPath, BarometerOptions options, string? afterSheet = null)
    {
        var mapping = ModelLineageCheck.Load(beforeModel, afterModel);
        Inputs.PrintProblems(mapping, context.Error);
        if (mapping.Value is not { } editions)
        {
            return null;
        }
        var before = Inputs.LoadResponses(beforePath, editions.Earlier, context.Error);
        var after = Inputs.LoadResponses(afterPath, editions.Later, context.Error, afterSheet);
        if (before is null || after is null)
        {
            return null;
        }
        var beforeResults = Barometer.Compute(before, options);
        var afterResults = Barometer.Compute(after, options);
        return new ComparedEditions(editions, after, afterResults, EditionComparison.Compare(editions, before, beforeResults, after, afterResults, options));
    }
}

/// <summary>Two editions loaded and compared: the lineage, the later edition's answers and results, and the change.</summary>
/// <param name="Mapping">How the later model continues the earlier one (<see cref="EditionMapping.Later"/> is the later edition's model).</param>
/// <param name="After">The later edition's answers.</param>
/// <param name="AfterResults">Their results.</param>
/// <param name="Evolution">What changed.</param>
internal sealed record ComparedEditions(EditionMapping Mapping, ResponseSet After, BarometerResults AfterResults, EvolutionResults Evolution);
