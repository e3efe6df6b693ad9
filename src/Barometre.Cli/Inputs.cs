using System.Globalization;
using Barometre.Core.Model;
using Barometre.Core.Responses;
using Barometre.Core.Results;
using Barometre.Data;
using Barometre.Data.Import;

namespace Barometre.Cli;

/// <summary>Loads the inputs of a command and prints their problems.</summary>
internal static class Inputs
{
    /// <summary>Loads a model file or shipped model; prints its problems and returns null when invalid.</summary>
    public static MaturityModel? LoadModel(string pathOrId, TextWriter stderr)
    {
        var result = ModelFile.Load(pathOrId);
        PrintProblems(result, stderr);
        return result.Value;
    }

    /// <summary>Imports a responses CSV or workbook (<paramref name="sheet"/>, or its first sheet); prints its problems and returns null when invalid.</summary>
    public static ResponseSet? LoadResponses(string path, MaturityModel model, TextWriter stderr, string? sheet = null)
    {
        var result = ResponsesCsv.Load(path, model, sheet);
        PrintProblems(result, stderr);
        return result.Value;
    }

    /// <summary>
    /// Reads a results file (<c>barometre compute</c>); prints why and returns null when it cannot be read or, when
    /// <paramref name="model"/> is given, is of another model.
    /// </summary>
    public static BarometerResults? LoadResults(string path, MaturityModel? model, TextWriter stderr)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var results = ResultsJson.Read(stream);
            if (model is not null && results.Referential != model.Id)
            {
                stderr.WriteLine($"{path}: ces résultats portent sur le référentiel « {TextRules.Quote(results.Referential)} », pas sur « {model.Id} » : indiquez le même référentiel avec --model.");
                return null;
            }
            return results;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            stderr.WriteLine($"{path}: {e.Message}");
            return null;
        }
    }

    public static void PrintProblems<T>(ImportResult<T> result, TextWriter stderr)
        where T : class
    {
        foreach (var problem in result.Problems)
        {
            stderr.WriteLine(problem);
        }
        if (result.ProblemCount > result.Problems.Count)
        {
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"… et {result.ProblemCount - result.Problems.Count} autres problèmes."));
        }
    }

    /// <summary>A count with its noun in French, « 1 problème » / « 3 problèmes ».</summary>
    public static string Plural(int count, string singular, string plural) => Barometre.Core.FrenchFormat.Plural(count, singular, plural);
}
