using System.Globalization;
using Barometre.Core.Model;
using Barometre.Core.Responses;
using Barometre.Core.Statistics;
using Barometre.Core.Synthetic;

namespace Barometre.Core.Tests.Publication;

/// <summary>Panels for the secrecy tests: hand-made ones with controlled groups, and adversarial synthetic ones.</summary>
internal static class SecrecyPanels
{
    /// <summary>Two themes of two questions each: the model of the hand-made panels.</summary>
    public static MaturityModel TwoByTwo { get; } = Model(2, 2);

    /// <summary>A model with themes t1, t2… of the given numbers of questions (t1.q1, t1.q2…).</summary>
    public static MaturityModel Model(params int[] questionsPerTheme) => new(
        "secret",
        "Modèle de test du secret",
        null,
        questionsPerTheme.Select((count, t) => new Theme(
            $"t{t + 1}",
            $"Thème {t + 1}",
            1,
            Enumerable.Range(1, count).Select(q => new Question($"t{t + 1}.q{q}", $"Question {t + 1}.{q}")))),
        []);

    /// <summary>
    /// One respondent per entry of <paramref name="who"/> (codes R01, R02…), answering every question with
    /// <paramref name="cell"/>(respondent, question) — level 2 everywhere by default.
    /// </summary>
    public static ResponseSet Panel(
        MaturityModel model,
        IReadOnlyList<(string? Type, string? Region, long? Population)> who,
        Func<int, int, sbyte>? cell = null)
    {
        cell ??= (_, _) => 2;
        var q = model.Questions.Count;
        var cells = new sbyte[who.Count * q];
        for (var r = 0; r < who.Count; r++)
        {
            for (var j = 0; j < q; j++)
            {
                cells[(r * q) + j] = cell(r, j);
            }
        }
        return new ResponseSet(
            model,
            who.Select((w, r) => new Respondent($"R{r + 1:D2}", $"Répondant {r + 1}", w.Type, w.Population, w.Region)),
            cells);
    }

    /// <summary><paramref name="count"/> respondents of a type (no region, no population).</summary>
    public static IEnumerable<(string? Type, string? Region, long? Population)> Typed(string? type, int count) =>
        Enumerable.Repeat<(string?, string?, long?)>((type, null, null), count);

    /// <summary><paramref name="count"/> respondents of a type and a region (no population).</summary>
    public static IEnumerable<(string? Type, string? Region, long? Population)> Located(string? type, string? region, int count) =>
        Enumerable.Repeat<(string?, string?, long?)>((type, region, null), count);

    /// <summary>
    /// A synthetic panel made hostile: a rare type given to 1 to 3 collectivités, regions drawn from a skewed
    /// list (one of them rare) with some left blank, some populations removed and a couple put under 20 000,
    /// and one question (t1.q1) left unanswered by about two thirds, so that its groups are small.
    /// </summary>
    public static ResponseSet Adversarial(MaturityModel model, int respondents, long seed)
    {
        var panel = SyntheticPanel.Generate(model, new SyntheticPanelOptions { Respondents = respondents, Seed = seed });
        var rng = new SeededRandom(seed + 1000);
        string[] regions = ["Bretagne", "Corse", "Grand Est", "Île-de-France", "Normandie", "Occitanie"];
        double[] weights = [0.25, 0.03, 0.2, 0.25, 0.12, 0.15];
        var rare = 1 + rng.NextInt(3);
        var changed = new List<Respondent>();
        for (var r = 0; r < panel.Count; r++)
        {
            var respondent = panel.Respondents[r];
            var type = r < rare ? "Syndicat mixte" : rng.NextDouble() < 0.04 ? null : respondent.Type;
            var region = rng.NextDouble() < 0.05 ? (rng.NextDouble() < 0.5 ? null : " ") : regions[rng.NextWeightedIndex(weights)];
            long? population = rng.NextDouble() < 0.05 ? null : r == rare || r == rare + 1 ? 12_000 + r : respondent.Population;
            changed.Add(respondent with { Type = type, Region = region, Population = population });
        }
        var cells = panel.Cells.ToArray();
        var q = model.Questions.Count;
        for (var r = 0; r < panel.Count; r++)
        {
            if (rng.NextDouble() < 0.65)
            {
                cells[r * q] = CellCode.Blank;
            }
        }
        return new ResponseSet(model, changed, cells);
    }

    /// <summary>
    /// A panel of <paramref name="respondents"/> drawn at random over small lists of types, regions and
    /// populations (some missing), with random blanks: many tiny groups, for brute-force checks.
    /// </summary>
    public static ResponseSet RandomSmall(MaturityModel model, int respondents, long seed)
    {
        var rng = new SeededRandom(seed);
        string?[] types = ["A", "B", "C", null];
        string?[] regions = ["Nord", "Sud", "Est", null];
        long?[] populations = [5_000, 30_000, 150_000, null];
        var who = new List<(string?, string?, long?)>();
        for (var r = 0; r < respondents; r++)
        {
            who.Add((types[rng.NextWeightedIndex([0.5, 0.3, 0.15, 0.05])], regions[rng.NextWeightedIndex([0.45, 0.35, 0.15, 0.05])], populations[rng.NextWeightedIndex([0.3, 0.4, 0.25, 0.05])]));
        }
        var levels = model.Scale.Count;
        var draws = new sbyte[respondents * model.Questions.Count];
        for (var i = 0; i < draws.Length; i++)
        {
            draws[i] = rng.NextDouble() < 0.2 ? CellCode.Blank : (sbyte)rng.NextInt(levels);
        }
        return Panel(model, who, (r, j) => draws[(r * model.Questions.Count) + j]);
    }

    /// <summary>
    /// A synthetic panel of <paramref name="respondents"/> with 4 types, 13 regions (one rare) and the 5
    /// population bands, for timing.
    /// </summary>
    public static ResponseSet Large(MaturityModel model, int respondents, long seed)
    {
        var panel = SyntheticPanel.Generate(model, new SyntheticPanelOptions { Respondents = respondents, Seed = seed });
        var rng = new SeededRandom(seed + 7);
        var regions = Enumerable.Range(1, 12).Select(i => string.Create(CultureInfo.InvariantCulture, $"Région {i:D2}")).Append("Corse").ToArray();
        var weights = Enumerable.Range(1, 12).Select(i => 1.0 + (i % 4)).Append(0.02).ToArray();
        var changed = panel.Respondents.Select(respondent => respondent with
        {
            Region = regions[rng.NextWeightedIndex(weights)],
            // Spread populations over every band, the smallest included.
            Population = (long)(respondent.Population!.Value * Math.Exp((rng.NextDouble() * 3) - 2.2)),
        });
        return new ResponseSet(model, changed, panel.Cells);
    }
}
