using System.CommandLine;
using Barometre.Core;
using Barometre.Core.Evolution;
using Barometre.Data.Import;

namespace Barometre.Cli.Commands;

/// <summary>
/// <c>barometre compare</c>: two editions (each a model and its answers) in, what changed out — <c>evolution.json</c>
/// (docs/evolution-schema.md); collectivités are matched by code.
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
        var before = new Option<string>("--before") { Description = "Réponses de l'édition précédente (CSV large)", Required = true };
        var afterModel = new Option<string>("--after-model")
        {
            Description = "Référentiel de l'édition suivante, qui déclare suivre le précédent (follows:) ou est le même",
            Required = true,
        };
        var after = new Option<string>("--after") { Description = "Réponses de l'édition suivante (CSV large)", Required = true };
        var output = new Option<string?>("--out", "-o") { Description = "Fichier JSON de l'évolution à écrire (sortie standard par défaut)" };
        var seed = CommonOptions.Seed();
        var bootstrap = CommonOptions.Bootstrap();
        var k = CommonOptions.K();
        var command = new Command("compare", "Compare deux éditions du baromètre : évolution de chaque thème, indicateur clé et collectivité, avec intervalles et tests.")
        {
            beforeModel, before, afterModel, after, output, seed, bootstrap, k,
        };
        command.SetAction(parse =>
        {
            var options = new BarometerOptions { Seed = parse.GetValue(seed), Bootstrap = parse.GetValue(bootstrap), K = parse.GetValue(k) };
            return Run(context, parse.GetValue(beforeModel)!, parse.GetValue(before)!, parse.GetValue(afterModel)!, parse.GetValue(after)!, parse.GetValue(output), options);
        });
        return command;
    }

    private static int Run(CliContext context, string beforeModel, string beforePath, string afterModel, string afterPath, string? outputPath, BarometerOptions options)
    {
        var evolution = Load(context, beforeModel, beforePath, afterModel, afterPath, options);
        if (evolution is null)
        {
            return ExitCodes.InvalidInput;
        }
        if (outputPath is null)
        {
            context.Out.WriteLine(EvolutionJson.Serialize(evolution));
        }
        else
        {
            AtomicFile.Write(outputPath, stream => EvolutionJson.Write(evolution, stream));
        }
        return ExitCodes.Success;
    }

    /// <summary>Loads both editions, computes each and compares them; prints the problems and returns null when an input is invalid.</summary>
    public static EvolutionResults? Load(CliContext context, string beforeModel, string beforePath, string afterModel, string afterPath, BarometerOptions options)
    {
        var mapping = ModelLineageCheck.Load(beforeModel, afterModel);
        Inputs.PrintProblems(mapping, context.Error);
        if (mapping.Value is not { } editions)
        {
            return null;
        }
        var before = Inputs.LoadResponses(beforePath, editions.Earlier, context.Error);
        var after = Inputs.LoadResponses(afterPath, editions.Later, context.Error);
        if (before is null || after is null)
        {
            return null;
        }
        var beforeResults = Barometer.Compute(before, options);
        var afterResults = Barometer.Compute(after, options);
        return EditionComparison.Compare(editions, before, beforeResults, after, afterResults, options);
    }
}
