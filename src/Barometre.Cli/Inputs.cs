using System.Globalization;
using Barometre.Core.Model;
using Barometre.Core.Responses;
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
