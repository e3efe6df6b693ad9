using Barometre.Core.Publication;
using Barometre.Core.Responses;
using static Barometre.Core.Tests.Publication.SecrecyPanels;

namespace Barometre.Core.Tests.Publication;

/// <summary>
/// Secondary suppression at least cost (<see cref="SecrecyPlan"/>'s cost rule: the fewest respondents hidden, counted
/// once per filter hidden): on the issue's panel, and on small random panels against every safe pattern (brute force
/// with <see cref="SecrecyOracle"/>, which knows nothing of how the plan searches).
/// </summary>
public sealed class SecrecyCostTest
{
    [Fact]
    public void Build_EighteenTenNineThree_HidesTheMetropoles()
    {
        // 40 collectivités: the 3 communautés urbaines are below 5 (primary), and panel − the three other types would
        // give them: one more type goes. The cheapest is the métropoles (9), not the communes (18).
        var responses = Panel(TwoByTwo, [.. Typed("Commune", 18), .. Typed("Communauté d'agglomération", 10), .. Typed("Métropole", 9), .. Typed("Communauté urbaine", 3)]);

        var plan = SecrecyPlan.Build(responses);

        Assert.Equal(
            [("ensemble du panel", false), ("Communauté d'agglomération", false), ("Communauté urbaine", true), ("Commune", false), ("Métropole", true)],
            plan.All.Select(d => (d.Filter.Describe(), d.Suppressed)));
        Audit(responses, plan);
    }

    [Fact]
    public void Build_IssuePanelWithRegionsAndBands_HidesTheMetropolesAndWhatTheBandsForce()
    {
        // The demo's panel (panel seed 2019), as the issue found it: the rules hid the communes (18).
        var responses = Panel(TwoByTwo, DemoPanel);

        var plan = SecrecyPlan.Build(responses);

        Assert.Equal(
            [("Communauté d'agglomération", 10, false), ("Communauté urbaine", 3, true), ("Commune", 18, false), ("Métropole", 9, true)],
            plan.Types.Select(type => plan.Decide(new PanelFilter(type))).Select(d => (d.Filter.Describe(), d.Respondents, d.Suppressed)));
        // The bands force one more cell. The communes are 2, 7, 8 and 1 from the smallest band to the largest: with
        // the 2 and the 1 below 5, the communes minus those of 50 000 to 99 999 and of 100 000 to 249 999 would be
        // 3. One of the three goes: the cheapest, the 7.
        Assert.True(plan.Decide(new PanelFilter("Commune", PopulationBand: "50000-100000")) is { Respondents: 7, Suppressed: true });
        Assert.True(plan.Decide(new PanelFilter("Commune", PopulationBand: "100000-250000")) is { Respondents: 8, Suppressed: false });
        Audit(responses, plan);
    }

    public static TheoryData<long, int, int> SmallPanels()
    {
        var data = new TheoryData<long, int, int>();
        // Sizes keep every family under 17 candidate groups (2^16 patterns): fewer respondents for smaller N.
        for (var seed = 1; seed <= 24; seed++)
        {
            var (respondents, threshold) = (seed % 4) switch
            {
                0 => (6 + (seed % 3 * 2), 3),
                1 => (8 + (seed % 3 * 3), 4),
                _ => (10 + (seed % 5 * 3), 5),
            };
            data.Add(seed, respondents, threshold);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SmallPanels))]
    public void Build_SmallRandomPanel_NoCheaperSafePatternExists(long seed, int respondents, int threshold)
    {
        var responses = RandomSmall(TwoByTwo, respondents, seed);
        var plan = SecrecyPlan.Build(responses, threshold);
        var oracle = new SecrecyOracle(responses, plan);

        foreach (var (figure, member) in oracle.Families.DistinctBy(f => string.Concat(f.Member.Select(m => m ? '1' : '0'))))
        {
            var groups = oracle.OfferedGroups(figure).ToList();
            var whole = groups.Single(g => g.Filter.IsWholePanel).Members;
            var violations = oracle.Check(figure, filter => Shows(plan, filter, figure));
            Assert.True(violations.Count == 0, string.Join("\n", violations.Take(10)));
            if (groups.Single(g => g.Filter.IsWholePanel).Size < threshold)
            {
                // The whole population is below N: everything is hidden, there is nothing to choose.
                continue;
            }
            // Hidden whatever the pattern: the primary suppressions and, for a figure, the filters hidden as a whole
            // (except those that are the family's whole population: the panel's own figure).
            bool Fixed(PanelFilter filter, int size, string members) =>
                members != whole && (size < threshold || (figure is not null && plan.Decide(filter).Suppressed));
            var fixedHidden = groups.Where(g => g.Size > 0 && Fixed(g.Filter, g.Size, g.Members)).Select(g => g.Members).ToHashSet();
            // The candidates: every other nonempty group (filters with the same respondents share one figure).
            var candidates = groups
                .Where(g => g.Size > 0 && g.Members != whole && !fixedHidden.Contains(g.Members))
                .GroupBy(g => g.Members)
                .Select(g => (Members: g.Key, Cost: g.Sum(f => f.Size), First: g.First().Filter))
                .ToList();
            Assert.InRange(candidates.Count, 0, 16);
            var index = candidates.Select((c, i) => (c.Members, i)).ToDictionary(x => x.Members, x => x.i);
            var sizes = groups.ToDictionary(g => g.Filter, g => (g.Size, g.Members));

            Func<PanelFilter, bool> Shown(int hidden) => filter =>
            {
                var (size, members) = sizes[filter];
                return size == 0 || members == whole || (!fixedHidden.Contains(members) && (hidden >> index[members] & 1) == 0);
            };
            long Cost(int hidden) => Enumerable.Range(0, candidates.Count).Where(i => (hidden >> i & 1) == 1).Sum(i => (long)candidates[i].Cost);

            // The plan's pattern over the candidates: the same decisions.
            var chosen = Enumerable.Range(0, candidates.Count)
                .Where(i => !Shows(plan, candidates[i].First, figure))
                .Aggregate(0, (mask, i) => mask | (1 << i));
            Assert.Empty(oracle.Check(figure, Shown(chosen)));

            // Every pattern, cheapest first: the first safe one costs what the plan's does.
            var cheapest = Enumerable.Range(0, 1 << candidates.Count)
                .OrderBy(Cost)
                .First(hidden => oracle.Check(figure, Shown(hidden)).Count == 0);
            Assert.True(Cost(cheapest) == Cost(chosen), $"{figure ?? "filtre"}: the plan hides {Cost(chosen)} respondents, a safe pattern hides {Cost(cheapest)}");
        }
    }

    private static bool Shows(SecrecyPlan plan, PanelFilter filter, string? figure) =>
        figure is null ? !plan.Decide(filter).Suppressed : plan.Decide(filter).Shows(figure);

    private static void Audit(ResponseSet responses, SecrecyPlan plan)
    {
        var violations = new SecrecyOracle(responses, plan).Audit(bruteForce: true);
        Assert.True(violations.Count == 0, string.Join("\n", violations.Take(20)));
    }

    /// <summary>The type, region and population of the demo's 40 collectivités (<c>barometre demo --panel-seed 2019</c>).</summary>
    private static readonly (string?, string?, long?)[] DemoPanel =
    [
        ("Commune", "Bourgogne-Franche-Comté", 123_860),
        ("Communauté urbaine", "Bretagne", 154_083),
        ("Commune", "Nouvelle-Aquitaine", 72_681),
        ("Commune", "Provence-Alpes-Côte d'Azur", 43_549),
        ("Commune", "Nouvelle-Aquitaine", 146_713),
        ("Commune", "Normandie", 111_236),
        ("Métropole", "Normandie", 1_010_262),
        ("Métropole", "Provence-Alpes-Côte d'Azur", 227_602),
        ("Commune", "Pays de la Loire", 60_177),
        ("Communauté d'agglomération", "Bretagne", 56_676),
        ("Communauté d'agglomération", "Pays de la Loire", 588_309),
        ("Commune", "Centre-Val de Loire", 136_481),
        ("Métropole", "Hauts-de-France", 214_825),
        ("Commune", "Centre-Val de Loire", 62_949),
        ("Commune", "Auvergne-Rhône-Alpes", 127_022),
        ("Commune", "Grand Est", 47_876),
        ("Métropole", "Bourgogne-Franche-Comté", 544_519),
        ("Communauté d'agglomération", "Hauts-de-France", 40_600),
        ("Métropole", "Auvergne-Rhône-Alpes", 573_131),
        ("Commune", "Bretagne", 58_947),
        ("Communauté urbaine", "Normandie", 134_247),
        ("Commune", "Provence-Alpes-Côte d'Azur", 288_279),
        ("Communauté d'agglomération", "Pays de la Loire", 176_856),
        ("Communauté d'agglomération", "Pays de la Loire", 138_841),
        ("Métropole", "Normandie", 460_130),
        ("Communauté urbaine", "Centre-Val de Loire", 147_577),
        ("Commune", "Pays de la Loire", 158_422),
        ("Communauté d'agglomération", "Hauts-de-France", 233_807),
        ("Communauté d'agglomération", "Normandie", 71_036),
        ("Communauté d'agglomération", "Occitanie", 365_912),
        ("Communauté d'agglomération", "Auvergne-Rhône-Alpes", 184_368),
        ("Commune", "Bretagne", 67_038),
        ("Commune", "Pays de la Loire", 233_680),
        ("Métropole", "Île-de-France", 298_649),
        ("Métropole", "Bourgogne-Franche-Comté", 210_286),
        ("Communauté d'agglomération", "Pays de la Loire", 76_522),
        ("Commune", "Bretagne", 135_231),
        ("Métropole", "Bourgogne-Franche-Comté", 740_745),
        ("Commune", "Provence-Alpes-Côte d'Azur", 57_646),
        ("Commune", "Normandie", 67_304),
    ];
}
