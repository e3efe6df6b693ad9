using Barometre.Core;
using Barometre.Core.Results;
using Barometre.Data.Import;

namespace Barometre.Data.Tests.Conformance;

/// <summary>
/// The engine against results computed independently by the reference implementation (numpy, scipy,
/// scikit-learn) on the cases of Specs/ — see Specs/README.md.
/// </summary>
public sealed class ConformanceTest
{
    private static readonly string SpecsDirectory = Path.Combine(AppContext.BaseDirectory, "Specs");

    public static TheoryData<string> Cases() =>
        [.. Directory.GetDirectories(SpecsDirectory).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compute_MatchesReference(string name)
    {
        var directory = Path.Combine(SpecsDirectory, name);
        var modelPath = Path.Combine(directory, "model.json");
        var model = File.Exists(modelPath)
            ? ModelFile.Load(modelPath).GetValueOrThrow()
            : ShippedModels.Load("maturite-numerique-2019");
        var responses = ResponsesCsv.Load(Path.Combine(directory, "responses.csv"), model).GetValueOrThrow();
        BarometerResults expected;
        using (var stream = File.OpenRead(Path.Combine(directory, "expected.json")))
        {
            expected = ResultsJson.Read(stream);
        }

        var actual = Barometer.Compute(responses, new BarometerOptions { Seed = 42, Bootstrap = 1000, K = 3 });

        var mismatches = ResultsComparer.Compare(expected, actual);
        Assert.Equal(expected.Scores.Select(s => s.Code), actual.Scores.Select(s => s.Code));   // input order
        Assert.True(mismatches.Count == 0, $"{name}: {mismatches.Count} mismatches\n{string.Join('\n', mismatches.Take(40))}");
    }

    [Fact]
    public void Cases_AreAllPresent()
    {
        Assert.Equal(8, Cases().Count);
    }
}
