namespace Barometre.Core.Model;

/// <summary>
/// The edition a maturity model follows and how its ids map onto that edition's (a model file's <c>follows:</c> block).
/// </summary>
/// <remarks>
/// <para>
/// Only what changed is written: an id present in both models and absent from the maps is the same measure
/// (<see cref="EditionMapping"/> applies that rule). A later theme maps to one earlier theme (renamed) or to
/// several (merged); a later question or indicator maps to one earlier question or indicator.
/// </para>
/// <para>
/// Immutable and validated on construction with what the block alone can tell: no earlier id is claimed by two
/// entries, and <see cref="Levels"/> keeps the order of the levels. That its later ids exist is checked by
/// <see cref="MaturityModel"/>, that its earlier ids exist by <see cref="EditionMapping.Validate"/>.
/// </para>
/// </remarks>
public sealed class ModelLineage
{
    /// <summary>Creates a lineage.</summary>
    /// <param name="model">The id of the earlier model.</param>
    /// <param name="themes">Later theme id → the earlier theme ids it continues (one: renamed; several: merged).</param>
    /// <param name="questions">Later question id → earlier question id.</param>
    /// <param name="indicators">Later indicator id → earlier indicator id.</param>
    /// <param name="levels">Earlier level → later level, when the scales differ; null when absent.</param>
    /// <exception cref="ArgumentException">
    /// An empty id, a later id given twice, a theme mapped to no earlier theme, an earlier id claimed twice, a negative
    /// level, an earlier level given twice, or levels whose order the map does not keep.
    /// </exception>
    public ModelLineage(
        string model,
        IEnumerable<KeyValuePair<string, IReadOnlyList<string>>>? themes = null,
        IEnumerable<KeyValuePair<string, string>>? questions = null,
        IEnumerable<KeyValuePair<string, string>>? indicators = null,
        IEnumerable<KeyValuePair<int, int>>? levels = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        Model = model;

        var themeMap = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var claimedThemes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (later, earlier) in themes ?? [])
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(later, nameof(themes));
            IReadOnlyList<string> list = [.. earlier ?? []];
            if (list.Count == 0)
            {
                throw new ArgumentException($"Theme {later} follows no earlier theme.", nameof(themes));
            }
            foreach (var id in list)
            {
                ArgumentException.ThrowIfNullOrWhiteSpace(id, nameof(themes));
                if (!claimedThemes.Add(id))
                {
                    throw new ArgumentException($"Earlier theme {id} is claimed twice.", nameof(themes));
                }
            }
            if (!themeMap.TryAdd(later, list))
            {
                throw new ArgumentException($"Theme {later} is mapped twice.", nameof(themes));
            }
        }
        Themes = themeMap;
        Questions = OneToOne(questions, "Question", nameof(questions));
        Indicators = OneToOne(indicators, "Indicator", nameof(indicators));

        if (levels is not null)
        {
            var levelMap = new SortedDictionary<int, int>();
            foreach (var (earlier, later) in levels)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(earlier, nameof(levels));
                ArgumentOutOfRangeException.ThrowIfNegative(later, nameof(levels));
                if (!levelMap.TryAdd(earlier, later))
                {
                    throw new ArgumentException($"Earlier level {earlier} is mapped twice.", nameof(levels));
                }
            }
            if (BreaksOrder(levelMap) is { } broken)
            {
                throw new ArgumentException($"Levels {broken.Lower} → {levelMap[broken.Lower]} and {broken.Higher} → {levelMap[broken.Higher]} reverse the order of the scale.", nameof(levels));
            }
            Levels = levelMap;
        }
    }

    /// <summary>The id of the earlier model.</summary>
    public string Model { get; }

    /// <summary>Later theme id → the earlier theme ids it continues: one when renamed, several when merged.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Themes { get; }

    /// <summary>Later question id → earlier question id.</summary>
    public IReadOnlyDictionary<string, string> Questions { get; }

    /// <summary>Later indicator id → earlier indicator id.</summary>
    public IReadOnlyDictionary<string, string> Indicators { get; }

    /// <summary>Earlier level → later level, in increasing earlier level; null when the block gives none.</summary>
    public IReadOnlyDictionary<int, int>? Levels { get; }

    /// <summary>
    /// Two earlier levels of a map, lower then higher, that it sends to decreasing later levels; null when it keeps
    /// the order. A scale is ordered: a map that reverses two levels would turn progress into regression.
    /// </summary>
    /// <param name="levels">Earlier level → later level, in increasing earlier level.</param>
    public static (int Lower, int Higher)? BreaksOrder(IEnumerable<KeyValuePair<int, int>> levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        KeyValuePair<int, int>? previous = null;
        foreach (var pair in levels.OrderBy(p => p.Key))
        {
            if (previous is { } p && pair.Value < p.Value)
            {
                return (p.Key, pair.Key);
            }
            previous = pair;
        }
        return null;
    }

    private static Dictionary<string, string> OneToOne(IEnumerable<KeyValuePair<string, string>>? pairs, string what, string parameter)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (later, earlier) in pairs ?? [])
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(later, parameter);
            ArgumentException.ThrowIfNullOrWhiteSpace(earlier, parameter);
            if (!map.TryAdd(later, earlier))
            {
                throw new ArgumentException($"{what} {later} is mapped twice.", parameter);
            }
            if (!claimed.Add(earlier))
            {
                throw new ArgumentException($"Earlier {what.ToLowerInvariant()} {earlier} is claimed twice.", parameter);
            }
        }
        return map;
    }
}
