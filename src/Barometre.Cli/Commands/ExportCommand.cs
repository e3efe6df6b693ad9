using System.CommandLine;
using Barometre.Core;
using Barometre.Core.Publication;
using Barometre.Data;
using Barometre.Data.Export;
using Barometre.Data.Export.OpenData;

namespace Barometre.Cli.Commands;

/// <summary><c>barometre export opendata</c>: a results file's open data, a Frictionless Data Package (docs/open-data.md).</summary>
internal static class ExportCommand
{
    public static Command Create(CliContext context) => new("export", "Exporte des résultats pour la diffusion.")
    {
        OpenData(context),
    };

    private static Command OpenData(CliContext context)
    {
        var results = new Option<string>("--results") { Description = "Fichier de résultats JSON (barometre compute, barometre campaign results)", Required = true };
        var model = CommonOptions.Model(required: false);
        model.Description = "Référentiel des résultats (par défaut, le référentiel fourni que nomme le fichier de résultats)";
        var responses = CommonOptions.Responses(required: false);
        responses.Description = "Réponses du panel qui ont donné ces résultats : ajoute chaque sélection par type, région et tranche de population, comme sur le tableau de bord";
        var threshold = CommonOptions.Threshold("Seuil du secret statistique : aucun chiffre pour un groupe de moins de N collectivités", SecrecyPlan.DefaultThreshold);
        var producer = new Option<string?>("--producer") { Description = "Producteur des données (l'organisateur du baromètre), cité dans datapackage.json" };
        var output = new Option<string>("--out", "-o") { Description = "Dossier du jeu de données à écrire (datapackage.json et une table CSV par fichier)", Required = true };
        var format = CommonOptions.Format();
        format.Description = "Chaque table aussi en csv-fr (Excel français : points-virgules, virgule décimale) ou en xlsx (classeur Excel), à côté du jeu de données (toujours en CSV, comme le veut la spécification Data Package)";
        var command = new Command("opendata", "Écrit les résultats agrégés en données ouvertes : tables CSV et datapackage.json (Frictionless), sous secret statistique, Licence Ouverte 2.0.")
        {
            results, model, responses, threshold, producer, format, output,
        };
        command.SetAction(parse => Run(
            context, parse.GetValue(results)!, parse.GetValue(model), parse.GetValue(responses), parse.GetValue(threshold), parse.GetValue(producer), parse.GetValue(format), parse.GetValue(output)!));
        return command;
    }

    private static int Run(CliContext context, string resultsPath, string? modelPath, string? responsesPath, int threshold, string? producer, TableFormat format, string outputPath)
    {
        var results = Inputs.LoadResults(resultsPath, model: null, context.Error);
        if (results is null)
        {
            return ExitCodes.InvalidInput;
        }
        var model = Inputs.LoadModel(modelPath ?? results.Referential, context.Error);
        if (model is null)
        {
            return ExitCodes.InvalidInput;
        }
        if (results.Referential != model.Id || results.Questions.Count != model.Questions.Count)
        {
            context.Error.WriteLine($"{resultsPath}: ces résultats portent sur le référentiel « {TextRules.Quote(results.Referential)} », pas sur « {model.Id} » : indiquez le même référentiel avec --model.");
            return ExitCodes.InvalidInput;
        }
        if (results.Scores.Count != results.Respondents)
        {
            context.Error.WriteLine($"{resultsPath}: ce fichier n'a pas les scores de chaque collectivité (résultats publics ?) : le secret statistique ne peut pas être appliqué. "
                + "Indiquez les résultats complets de barometre compute ou barometre campaign results.");
            return ExitCodes.InvalidInput;
        }

        OpenDataPackage package;
        if (responsesPath is null)
        {
            package = OpenDataPackage.FromResults(results, model, threshold);
        }
        else
        {
            var responses = Inputs.LoadResponses(responsesPath, model, context.Error);
            if (responses is null)
            {
                return ExitCodes.InvalidInput;
            }
            if (!responses.Respondents.Select(r => r.Code).SequenceEqual(results.Scores.Select(s => s.Code), StringComparer.Ordinal))
            {
                context.Error.WriteLine($"{responsesPath}: ces réponses ne sont pas celles des résultats « {TextRules.Quote(resultsPath)} » "
                    + $"({FrenchFormat.Count(responses.Count)} collectivités ici, {FrenchFormat.Count(results.Respondents)} là, ou d'autres codes ou dans un autre ordre).");
                return ExitCodes.InvalidInput;
            }
            package = OpenDataPackage.FromAnswers(responses, results, threshold);
        }

        var metadata = new OpenDataMetadata { Producer = string.IsNullOrWhiteSpace(producer) ? null : producer.Trim() };
        // The other format's tables beside the package's CSV files, which datapackage.json describes.
        IEnumerable<(string Path, byte[] Content)> variants = format == TableFormat.Csv ? [] : package.Tables.Select(t => (format.FileName(t.Name), t.Write(format)));
        AtomicFile.WriteDirectory(outputPath, [.. package.Files(metadata), .. variants],
            existing => File.Exists(Path.Combine(existing, OpenDataPackage.DescriptorPath)));
        var secret = package.Selections.Count(s => s.Suppressed);
        context.Out.WriteLine($"Données ouvertes écrites dans « {outputPath} » : {FrenchFormat.Plural(package.Tables.Count, "table", "tables")} et datapackage.json, "
            + $"{FrenchFormat.Plural(package.Selections.Count, "sélection", "sélections")} dont {FrenchFormat.Count(secret)} sous secret statistique (seuil de {FrenchFormat.Count(threshold)} collectivités), Licence Ouverte 2.0.");
        return ExitCodes.Success;
    }
}
