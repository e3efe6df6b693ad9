using Barometre.Core.Model;
using Barometre.Core.Responses;
using Barometre.Core.Results;
using Barometre.Core.Statistics;

namespace Barometre.Reports;

/// <summary>
/// What each collectivité is compared with, computed once for a whole panel: the medians of each type
/// of collectivité, and for each question the level most members of the most mature segment reach.
/// </summary>
public sealed class PanelBenchmark
{
    /// <summary>The smallest group whose figures may be shown (statistical secrecy).</summary>
    public const int DefaultMinimumGroupSize = 5;

    private readonly Dictionary<string, (int Count, double?[] Medians)> _types;

    /// <summary>Computes the benchmark of a panel from its responses and results.</summary>
    /// <param name="responses">The panel's answers (for the reference segment's levels).</param>
    /// <param name="results">The panel's results (scores and segments).</param>
    /// <param name="minimumGroupSize">Groups smaller than this are not described (statistical secrecy).</param>
    public PanelBenchmark(ResponseSet responses, BarometerResults results, int minimumGroupSize = DefaultMinimumGroupSize)
    {
        ArgumentNullException.ThrowIfNull(responses);
        ArgumentNullException.ThrowIfNull(results);
        MinimumGroupSize = minimumGroupSize;
        var model = responses.Model;
        var themeIds = model.Themes.Select(t => t.Id).ToArray();
        _types = results.Scores.Where(s => s.Type is not null).GroupBy(s => s.Type!, StringComparer.Ordinal).ToDictionary(
            group => group.Key,
            group => (group.Count(), themeIds.Select(id => Median(group.Select(s => s.Themes.GetValueOrDefault(id))))
                .ToArray()),
            StringComparer.Ordinal);
        PanelIndexMedian = Median(results.Scores.Select(s => s.Index));

        var reference = results.Segments.Groups.FirstOrDefault(g => g.Size > 0);
        ReferenceSegment = reference?.Label;
        var targets = new int?[model.Questions.Count];
        if (reference is not null)
        {
            var rows = responses.Respondents.Select((r, i) => (r.Code, i)).ToDictionary(x => x.Code, x => x.i, StringComparer.Ordinal);
            var members = reference.Members.Select(code => rows[code]).ToArray();
            for (var q = 0; q < targets.Length; q++)
            {
                targets[q] = MostReachedLevel(members.Select(r => responses[r, q]), model.Scale.MaxLevel);
            }
        }
        TargetLevels = targets;
    }

    /// <summary>Groups smaller than this are not described.</summary>
    public int MinimumGroupSize { get; }

    /// <summary>The label of the most mature segment (« Stratèges »), or null without segments.</summary>
    public string? ReferenceSegment { get; }

    /// <summary>Per question (model order), the highest level that more than half of the reference segment's answering members reach; null when none answered.</summary>
    public IReadOnlyList<int?> TargetLevels { get; }

    /// <summary>The median global index of the panel.</summary>
    public double? PanelIndexMedian { get; }

    /// <summary>The number of collectivités of a type.</summary>
    public int CountOfType(string? type) => type is not null && _types.TryGetValue(type, out var group) ? group.Count : 0;

    /// <summary>Per theme, the median score of the collectivités of a type; null when the type has fewer than <see cref="MinimumGroupSize"/> members.</summary>
    public IReadOnlyList<double?>? TypeMedians(string? type) =>
        type is not null && _types.TryGetValue(type, out var group) && group.Count >= MinimumGroupSize ? group.Medians : null;

    /// <summary>The highest level ℓ such that more than half of the answered levels are ≥ ℓ.</summary>
    internal static int? MostReachedLevel(IEnumerable<sbyte> cells, int maxLevel)
    {
        var levels = cells.Where(cell => cell >= 0).ToList();
        if (levels.Count == 0)
        {
            return null;
        }
        for (var level = maxLevel; level > 0; level--)
        {
            if (levels.Count(l => l >= level) * 2 > levels.Count)
            {
                return level;
            }
        }
        return 0;
    }

    private static double? Median(IEnumerable<double?> values)
    {
        var sorted = values.Where(v => v is not null).Select(v => v!.Value).Order().ToArray();
        return sorted.Length == 0 ? null : Descriptive.QuantileOfSorted(sorted, 0.5);
    }
}

/// <summary>A question on which a collectivité sits below the level most of the reference segment reaches.</summary>
/// <param name="Question">Model-order index of the question.</param>
/// <param name="Current">The collectivité's level.</param>
/// <param name="Target">The level most members of the reference segment reach.</param>
public sealed record NextStep(int Question, int Current, int Target)
{
    /// <summary>The steps of one collectivité: every answered question below its target, the largest gaps first, then in model order.</summary>
    public static IReadOnlyList<NextStep> For(ReadOnlySpan<sbyte> answers, PanelBenchmark benchmark)
    {
        var steps = new List<NextStep>();
        for (var q = 0; q < answers.Length; q++)
        {
            if (answers[q] >= 0 && benchmark.TargetLevels[q] is { } target && answers[q] < target)
            {
                steps.Add(new NextStep(q, answers[q], target));
            }
        }
        return [.. steps.OrderByDescending(step => step.Target - step.Current).ThenBy(step => step.Question)];
    }
}
