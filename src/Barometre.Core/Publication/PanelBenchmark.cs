using Barometre.Core.Responses;
using Barometre.Core.Results;
using Barometre.Core.Statistics;

namespace Barometre.Core.Publication;

/// <summary>
/// How a group of the panel (a type of collectivité, a population band) scores, under statistical secrecy.
/// </summary>
/// <param name="Label">The group in French: the type as the panel spells it, or the band's label.</param>
/// <param name="Respondents">Its size; 0 when <paramref name="Secret"/>.</param>
/// <param name="Secret">Whether the whole group is under statistical secrecy: nothing of it may be shown.</param>
/// <param name="Medians">Per theme (model order), the median score of its members; null when nobody is scored or the theme is secret.</param>
/// <param name="SecretThemes">The indices of the themes whose median is under statistical secrecy.</param>
public sealed record GroupComparison(string Label, int Respondents, bool Secret, IReadOnlyList<double?> Medians, IReadOnlySet<int> SecretThemes)
{
    /// <summary>Whether the group's median on a theme (model index) is under statistical secrecy, by the whole group's secrecy or the theme's.</summary>
    public bool Hides(int theme) => Secret || SecretThemes.Contains(theme);
}

/// <summary>
/// What each collectivité is compared with, computed once for a whole panel: the medians of each type
/// of collectivité and of each population band, as far as statistical secrecy allows (the campaign's
/// <see cref="SecrecyPlan"/>, the rule the dashboard and the API follow), and for each question the level
/// most members of the most mature segment reach.
/// </summary>
public sealed class PanelBenchmark
{
    /// <summary>The smallest group whose figures may be shown (statistical secrecy), unless a campaign sets another.</summary>
    public const int DefaultMinimumGroupSize = SecrecyPlan.DefaultThreshold;

    private readonly Dictionary<string, GroupComparison> _types;
    private readonly Dictionary<string, GroupComparison> _bands;
    private readonly Dictionary<string, int> _typeCounts;

    /// <summary>Computes the benchmark of a panel from its responses and results.</summary>
    /// <param name="responses">The panel's answers (for the reference segment's levels and the groups).</param>
    /// <param name="results">The panel's results (scores and segments), respondents in the order of <paramref name="responses"/>.</param>
    /// <param name="plan">The panel's secrecy plan; by default, the plan at <see cref="DefaultMinimumGroupSize"/>.</param>
    public PanelBenchmark(ResponseSet responses, BarometerResults results, SecrecyPlan? plan = null)
    {
        ArgumentNullException.ThrowIfNull(responses);
        ArgumentNullException.ThrowIfNull(results);
        Plan = plan ?? SecrecyPlan.Build(responses, DefaultMinimumGroupSize);
        var model = responses.Model;
        var themeIds = model.Themes.Select(t => t.Id).ToArray();
        var respondents = responses.Respondents;
        HashSet<int> SecretThemes(FilterDecision decision) =>
            Enumerable.Range(0, themeIds.Length).Where(t => !decision.Shows(FigureId.Theme(themeIds[t]))).ToHashSet();

        GroupComparison Compare(string label, PanelFilter filter)
        {
            var decision = Plan.Decide(filter);
            if (decision.Suppressed)
            {
                return new GroupComparison(label, 0, true, new double?[themeIds.Length], new HashSet<int>());
            }
            var members = results.Scores.Where((_, i) => filter.Matches(respondents[i])).ToList();
            var secretThemes = SecretThemes(decision);
            var medians = themeIds.Select((id, t) => secretThemes.Contains(t) ? null : Median(members.Select(s => s.Themes.GetValueOrDefault(id)))).ToArray();
            return new GroupComparison(label, decision.Respondents, false, medians, secretThemes);
        }

        _types = Plan.Types.ToDictionary(type => type, type => Compare(type, new PanelFilter(Type: type)), StringComparer.Ordinal);
        _bands = Plan.PopulationBands.ToDictionary(band => band, band => Compare(PopulationBands.Find(band)!.Label, new PanelFilter(PopulationBand: band)), StringComparer.Ordinal);
        _typeCounts = respondents.Where(r => !string.IsNullOrWhiteSpace(r.Type)).GroupBy(r => r.Type!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var whole = Plan.Decide(PanelFilter.WholePanel);
        SecretPanelThemes = SecretThemes(whole);
        PanelIndexSecret = !whole.Shows(FigureId.Index);
        PanelIndexMedian = PanelIndexSecret ? null : Median(results.Scores.Select(s => s.Index));

        // The next steps describe the reference segment's answers: a group like any other.
        var reference = results.Segments.Groups.FirstOrDefault(g => g.Size > 0);
        ReferenceSegmentSecret = reference is not null && Disclosure.HidesSegment(PanelIndexSecret, reference.Size, Plan.Threshold);
        if (ReferenceSegmentSecret)
        {
            reference = null;
        }
        ReferenceSegment = reference?.Label;
        var targets = new int?[model.Questions.Count];
        if (reference is not null)
        {
            var rows = respondents.Select((r, i) => (r.Code, i)).ToDictionary(x => x.Code, x => x.i, StringComparer.Ordinal);
            var members = reference.Members.Select(code => rows[code]).ToArray();
            for (var q = 0; q < targets.Length; q++)
            {
                targets[q] = MostReachedLevel(members.Select(r => responses[r, q]), model.Scale.MaxLevel);
            }
        }
        TargetLevels = targets;
    }

    /// <summary>The secrecy plan the comparisons follow.</summary>
    public SecrecyPlan Plan { get; }

    /// <summary>Groups smaller than this are not described.</summary>
    public int MinimumGroupSize => Plan.Threshold;

    /// <summary>The label of the most mature segment (« Stratèges »), or null without segments or when it is secret (<see cref="ReferenceSegmentSecret"/>).</summary>
    public string? ReferenceSegment { get; }

    /// <summary>Whether the most mature segment is under statistical secrecy (fewer members than the threshold, or the global index hidden): no next steps.</summary>
    public bool ReferenceSegmentSecret { get; }

    /// <summary>The themes (model indices) whose panel-wide figures are under statistical secrecy.</summary>
    public IReadOnlySet<int> SecretPanelThemes { get; }

    /// <summary>Whether the panel's global index is under statistical secrecy (fewer than the threshold have one).</summary>
    public bool PanelIndexSecret { get; }

    /// <summary>Per question (model order), the highest level that more than half of the reference segment's answering members reach; null when none answered.</summary>
    public IReadOnlyList<int?> TargetLevels { get; }

    /// <summary>The median global index of the panel; null when nobody has one or it is secret.</summary>
    public double? PanelIndexMedian { get; }

    /// <summary>The collectivités of a type, or null when the type is missing or blank.</summary>
    public GroupComparison? OfType(string? type) => type is not null && _types.TryGetValue(type, out var group) ? group : null;

    /// <summary>The collectivités of the population band of <paramref name="population"/>, or null when the population is unknown.</summary>
    public GroupComparison? OfBand(long? population) =>
        PopulationBands.Of(population) is { } band && _bands.TryGetValue(band.Id, out var group) ? group : null;

    /// <summary>The number of collectivités of a type (for the operator; secret groups never print it).</summary>
    public int CountOfType(string? type) => type is not null && _typeCounts.TryGetValue(type, out var count) ? count : 0;

    /// <summary>Per theme, the median score of the collectivités of a type; null when the type is under statistical secrecy (per theme null when that theme is).</summary>
    public IReadOnlyList<double?>? TypeMedians(string? type) => OfType(type) is { Secret: false } group ? group.Medians : null;

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
