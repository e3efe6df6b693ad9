using Barometre.Core.Model;
using Barometre.Core.Robustness;
using Barometre.Core.Synthetic;

namespace Barometre.Core.Tests.Robustness;

public sealed class SeedStabilityTest
{
    private const double Tolerance = 1e-12;

    [Theory]
    // python3 -c "from sklearn.metrics import adjusted_rand_score as a; print(repr(a([0,0,1,1,2,2,2,0],[1,1,0,0,2,2,0,1])))"
    [InlineData(new[] { 0, 0, 1, 1, 2, 2, 2, 0 }, new[] { 1, 1, 0, 0, 2, 2, 0, 1 }, 0.6190476190476191)]
    // python3 -c "from sklearn.metrics import adjusted_rand_score as a; print(repr(a([0,0,0,1,1,1,2,2,2,2],[0,0,1,1,2,2,2,0,0,1])))"
    [InlineData(new[] { 0, 0, 0, 1, 1, 1, 2, 2, 2, 2 }, new[] { 0, 0, 1, 1, 2, 2, 2, 0, 0, 1 }, -0.022727272727272728)]
    // python3 -c "from sklearn.metrics import adjusted_rand_score as a; print(repr(a([0,1,0,1,0,1],[0,0,0,1,1,1])))"
    [InlineData(new[] { 0, 1, 0, 1, 0, 1 }, new[] { 0, 0, 0, 1, 1, 1 }, -0.1111111111111111)]
    // python3 -c "from sklearn.metrics import adjusted_rand_score as a; print(repr(a([0,0,1,1],[0,1,2,3])))"
    [InlineData(new[] { 0, 0, 1, 1 }, new[] { 0, 1, 2, 3 }, 0.0)]
    // python3 -c "from sklearn.metrics import adjusted_rand_score as a; print(repr(a([0,0,0,0],[1,1,1,1])), repr(a([0,1,2],[2,0,1])))"
    [InlineData(new[] { 0, 0, 0, 0 }, new[] { 1, 1, 1, 1 }, 1.0)]
    [InlineData(new[] { 0, 1, 2 }, new[] { 2, 0, 1 }, 1.0)]
    public void AdjustedRandIndex_MatchesSklearn(int[] a, int[] b, double expected)
    {
        Assert.Equal(expected, SeedStability.AdjustedRandIndex(a, b), Tolerance);
        Assert.Equal(expected, SeedStability.AdjustedRandIndex(b, a), Tolerance);
    }

    [Fact]
    public void AdjustedRandIndex_DifferentLengths_Throws() =>
        Assert.Throws<ArgumentException>(() => SeedStability.AdjustedRandIndex([0, 1], [0, 1, 1]));

    [Fact]
    public void Analyse_Points_MatchesSklearnRunBySeed()
    {
        // 16 points without clear clusters: seed 42 finds a partition the next seeds do not.
        // python3 -c "
        // import numpy as np; from sklearn.cluster import KMeans; from sklearn.metrics import adjusted_rand_score as a
        // X = np.round(np.random.default_rng(7).uniform(0, 100, size=(16, 2)), 0)
        // f = lambda s: KMeans(n_clusters=3, init='k-means++', n_init=10, tol=0, random_state=s).fit(X).labels_
        // print(X.ravel().tolist(), f(42).tolist(), [repr(a(f(s), f(42))) for s in range(43, 49)])"
        double[] points = [63, 90, 78, 23, 30, 87, 1, 82, 80, 47, 30, 28, 25, 45, 50, 55, 100, 79, 62, 99, 22, 16, 61, 4, 4, 51, 47, 92, 63, 51, 50, 25];
        int[] reference = [2, 1, 0, 0, 1, 1, 1, 1, 2, 2, 1, 1, 0, 2, 1, 1];
        const double Other = 0.4418604651162791;

        var results = SeedStability.Analyse(points, 2, reference, 3, [43, 44, 45, 46, 47, 48], restarts: 10);

        Assert.Equal([43L, 44, 45, 46, 47, 48], results.Seeds);
        Assert.Equal([Other, Other, 1.0, Other, Other, Other], results.AdjustedRand, (x, y) => Math.Abs(x - y) <= Tolerance);
        Assert.Equal(1, results.IdenticalRuns);
        Assert.Equal(Other, results.MinAdjustedRand, Tolerance);
        Assert.Equal(((5 * Other) + 1) / 6, results.MeanAdjustedRand, Tolerance);
    }

    [Fact]
    public void Analyse_Results_RunsTheSeedsAfterThePublishedOne()
    {
        var panel = Panel(300, seed: 3);
        var published = Barometer.Compute(panel, new BarometerOptions { Seed = 7, Bootstrap = 0 });

        var results = SeedStability.Analyse(published, runs: 4)!;

        Assert.Equal([8L, 9, 10, 11], results.Seeds);
        Assert.All(results.AdjustedRand, ari => Assert.InRange(ari, -1, 1));
        // Each run is the published computation with another seed: the same partition as its own segments.
        for (var j = 0; j < results.Runs; j++)
        {
            var other = Barometer.Compute(panel, new BarometerOptions { Seed = results.Seeds[j], Bootstrap = 0 });
            var position = other.Segments.Groups.SelectMany((g, i) => g.Members.Select(code => (code, i))).ToDictionary(p => p.code, p => p.i);
            var own = published.Segments.Groups.SelectMany((g, i) => g.Members.Select(code => (code, i))).ToDictionary(p => p.code, p => p.i);
            var codes = own.Keys.Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(SeedStability.AdjustedRandIndex([.. codes.Select(c => position[c])], [.. codes.Select(c => own[c])]), results.AdjustedRand[j], Tolerance);
        }
    }

    [Fact]
    public void Analyse_TheWrappingSeed_StaysInRange()
    {
        var published = Barometer.Compute(Panel(60, seed: 4), new BarometerOptions { Seed = BarometerOptions.MaxSeed, Bootstrap = 0 });

        Assert.Equal([0L, 1], SeedStability.Analyse(published, runs: 2)!.Seeds);
    }

    [Fact]
    public void Analyse_NotSegmented_IsNull()
    {
        var published = Barometer.Compute(Panel(2, seed: 4), new BarometerOptions { Bootstrap = 0 });

        Assert.Empty(published.Segments.Groups);
        Assert.Null(SeedStability.Analyse(published));
    }

    private static Responses.ResponseSet Panel(int respondents, long seed) => SyntheticPanel.Generate(
        new MaturityModel(
            "graines",
            "Graines",
            null,
            [.. new[] { "a", "b", "c", "d" }.Select(id => new Theme(id, id, 1, [.. Enumerable.Range(1, 3).Select(q => new Question($"{id}.q{q}", $"{id} {q}"))]))],
            []),
        new SyntheticPanelOptions { Respondents = respondents, Seed = seed, Missing = (0.15, 0.05, 0.05) });
}
