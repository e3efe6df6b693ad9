using System.Globalization;
using Barometre.Core.Model;
using Barometre.Core.Responses;
using Barometre.Core.Statistics;

namespace Barometre.Core.Synthetic;

/// <summary>How an answer moves from one edition to the next: the chance of one level up, and of one level down.</summary>
public sealed record LevelDrift
{
    /// <summary>Creates a drift.</summary>
    /// <param name="up">The chance of one level up, in [0, 1].</param>
    /// <param name="down">The chance of one level down, in [0, 1], with <paramref name="up"/> at most 1 in all.</param>
    /// <exception cref="ArgumentOutOfRangeException">A chance outside [0, 1], or both together above 1.</exception>
    public LevelDrift(double up, double down)
    {
        if (up is < 0 or > 1 || double.IsNaN(up))
        {
            throw new ArgumentOutOfRangeException(nameof(up), up, "A chance lies in [0, 1].");
        }
        if (down is < 0 or > 1 || double.IsNaN(down) || up + down > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(down), down, "A chance lies in [0, 1], and up and down together at most 1.");
        }
        Up = up;
        Down = down;
    }

    /// <summary>The chance of one level up (none from the top level).</summary>
    public double Up { get; }

    /// <summary>The chance of one level down (none from level 0).</summary>
    public double Down { get; }
}

/// <summary>Settings of a synthetic next edition (<see cref="SyntheticPanel.NextEdition"/>).</summary>
public sealed record SyntheticEditionOptions
{
    /// <summary>Seed of every draw.</summary>
    public long Seed { get; init; } = 2021;

    /// <summary>Share of the earlier panel that leaves, in [0, 1]: that many collectivités (rounded) are drawn out.</summary>
    public double Leave { get; init; } = 0.10;

    /// <summary>New collectivités, as a share of the earlier panel (rounded), 0 or more.</summary>
    public double Join { get; init; } = 0.15;

    /// <summary>How an answer to a question the later model continues moves, unless its theme has its own drift.</summary>
    public LevelDrift Drift { get; init; } = new(0.30, 0.08);

    /// <summary>The drift of the questions of some themes, by later theme id (themes that progressed more, or less).</summary>
    public IReadOnlyDictionary<string, LevelDrift> ThemeDrifts { get; init; } = new Dictionary<string, LevelDrift>();

    /// <summary>
    /// Offset of each later theme's levels for the answers generated anew (new questions, new collectivités), by theme
    /// id; themes not listed get a seeded random offset, as <see cref="SyntheticPanelOptions.ThemeOffsets"/>.
    /// </summary>
    public IReadOnlyDictionary<string, double> ThemeOffsets { get; init; } = new Dictionary<string, double>();

    /// <summary>Share of the cells generated anew left empty, answered NSP, answered NC.</summary>
    public (double Blank, double DontKnow, double NotConcerned) Missing { get; init; } = (0.03, 0.01, 0.01);
}

public static partial class SyntheticPanel
{
    /// <summary>
    /// Generates the next edition of a panel on the later model of <paramref name="mapping"/>: some collectivités leave,
    /// the others answer again, some new ones join.
    /// </summary>
    /// <remarks>
    /// <para>
    /// A collectivité that stays keeps its code and description, and each of its levels on a question the later model
    /// continues (<see cref="QuestionComparison.IsComparable"/>), translated by the lineage, moves one level up or down
    /// with the chances of its theme's <see cref="LevelDrift"/> (bounded by the scale). Its other cells — new questions,
    /// and earlier cells without a level — are generated as <see cref="Generate"/> does, from a latent maturity read off
    /// its earlier levels (their mean on the 0–4 scale) raised by the mean drift.
    /// </para>
    /// <para>
    /// The collectivités that leave are drawn without replacement; those that join are generated as
    /// <see cref="Generate"/> does (their latent maturity raised by the mean drift), numbered after the earlier panel's
    /// size, skipping codes it already holds. The later edition lists the collectivités that stay in their earlier
    /// order, then those that join. Every draw comes from <see cref="SyntheticEditionOptions.Seed"/>.
    /// </para>
    /// </remarks>
    /// <param name="mapping">How the later model continues the earlier one.</param>
    /// <param name="earlier">The earlier edition's answers, on <see cref="EditionMapping.Earlier"/>.</param>
    /// <param name="options">The settings; the defaults when null.</param>
    /// <exception cref="ArgumentException">The answers are not on the earlier model, or a theme drift names no later theme.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A share to leave outside [0, 1], or a negative share to join.</exception>
    public static ResponseSet NextEdition(EditionMapping mapping, ResponseSet earlier, SyntheticEditionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        ArgumentNullException.ThrowIfNull(earlier);
        options ??= new SyntheticEditionOptions();
        if (earlier.Model.Id != mapping.Earlier.Id)
        {
            throw new ArgumentException($"The answers are on model {earlier.Model.Id}, not {mapping.Earlier.Id}.", nameof(earlier));
        }
        if (options.Leave is < 0 or > 1 || double.IsNaN(options.Leave))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Leave, "The share that leaves lies in [0, 1].");
        }
        if (options.Join < 0 || !double.IsFinite(options.Join))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Join, "The share that joins is 0 or more.");
        }
        var later = mapping.Later;
        if (options.ThemeDrifts.Keys.FirstOrDefault(id => later.IndexOfTheme(id) < 0) is { } unknown)
        {
            throw new ArgumentException($"Model {later.Id} has no theme {unknown} to drift.", nameof(options));
        }

        var rng = new SeededRandom(options.Seed);
        var generator = new Generator(later, options.ThemeOffsets, options.Missing, rng);
        var leaving = DrawWithoutReplacement(rng, earlier.Count, Rounded(earlier.Count * options.Leave));
        var joining = Rounded(earlier.Count * options.Join);
        var staying = Enumerable.Range(0, earlier.Count).Where(r => !leaving.Contains(r)).ToList();

        var q = later.Questions.Count;
        var max = later.Scale.MaxLevel;
        // The mean drift, in levels of the later scale, on the 0–4 scale of latent maturity.
        var progress = (options.Drift.Up - options.Drift.Down) * 4.0 / max;
        var drifts = Enumerable.Range(0, q)
            .Select(j => options.ThemeDrifts.GetValueOrDefault(later.Themes[later.ThemeOfQuestion[j]].Id) ?? options.Drift)
            .ToArray();
        var respondents = new List<Respondent>(staying.Count + joining);
        var cells = new sbyte[(staying.Count + joining) * q];
        foreach (var r in staying)
        {
            var row = cells.AsSpan(respondents.Count * q, q);
            var before = earlier.Row(r);
            generator.Answer(EarlierLatent(before, mapping.Earlier.Scale.MaxLevel) + progress, (0, 0), row);
            for (var j = 0; j < q; j++)
            {
                var question = mapping.Questions[j];
                if (question.IsComparable && before[question.EarlierIndex] is var cell and >= 0)
                {
                    var level = mapping.TranslateLevel(cell);
                    var u = rng.NextDouble();
                    row[j] = (sbyte)(u < drifts[j].Up ? Math.Min(level + 1, max)
                        : u < drifts[j].Up + drifts[j].Down ? Math.Max(level - 1, 0)
                        : level);
                }
            }
            respondents.Add(earlier.Respondents[r]);
        }

        var taken = earlier.Respondents.Select(r => r.Code).ToHashSet(StringComparer.Ordinal);
        var width = Math.Max(2, earlier.Count.ToString(CultureInfo.InvariantCulture).Length);
        var number = earlier.Count;
        for (var n = 0; n < joining; n++)
        {
            Respondent respondent;
            int profile;
            double latent;
            do
            {
                (respondent, profile, latent) = generator.NewRespondent(++number, width);
            }
            while (taken.Contains(respondent.Code));
            generator.Answer(latent + progress, (Profiles[profile].Operational, Profiles[profile].Strategic), cells.AsSpan(respondents.Count * q, q));
            respondents.Add(respondent);
        }
        return new ResponseSet(later, respondents, cells);
    }

    /// <summary>A collectivité's latent maturity (0–4) read off its earlier levels; the panel's mean latent maturity when it gave none.</summary>
    private static double EarlierLatent(ReadOnlySpan<sbyte> row, int maxLevel)
    {
        var (sum, count) = (0.0, 0);
        foreach (var cell in row)
        {
            if (cell >= 0)
            {
                (sum, count) = (sum + cell, count + 1);
            }
        }
        return count == 0 ? Profiles.Sum(p => p.Share * p.Latent) : sum / count * 4.0 / maxLevel;
    }

    /// <summary>A seeded draw of <paramref name="count"/> distinct indexes below <paramref name="bound"/> (a partial Fisher–Yates shuffle).</summary>
    private static HashSet<int> DrawWithoutReplacement(SeededRandom rng, int bound, int count)
    {
        var indexes = Enumerable.Range(0, bound).ToArray();
        for (var i = 0; i < count; i++)
        {
            var j = i + rng.NextInt(bound - i);
            (indexes[i], indexes[j]) = (indexes[j], indexes[i]);
        }
        return [.. indexes.Take(count)];
    }

    private static int Rounded(double value) => (int)Math.Round(value, MidpointRounding.AwayFromZero);
}
