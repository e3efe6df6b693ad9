using System.Collections;

namespace Barometre.Core.Publication;

/// <summary>What a filter of published results may show, as decided by a <see cref="SecrecyPlan"/>.</summary>
/// <remarks>
/// <para>
/// Three cases. <see cref="Suppressed"/>: nothing of the filter is shown, not even its exact number of
/// respondents (show « secret statistique »; <see cref="SuppressedFigures"/> then lists every figure id, so
/// that a reader who checks only the set hides everything too). <see cref="Respondents"/> = 0: nobody
/// matches, there is nothing to show and nothing secret. Otherwise the filter is shown except the figures
/// listed in <see cref="SuppressedFigures"/>, which must read « secret statistique », never 0 or blank.
/// </para>
/// <para>
/// <see cref="Respondents"/> is given for the caller's logic even when the filter is suppressed; it must
/// not be displayed then (display « moins de N » or nothing).
/// </para>
/// </remarks>
/// <param name="Filter">The filter.</param>
/// <param name="Respondents">Number of respondents the filter matches.</param>
/// <param name="Suppressed">Whether the filter is suppressed as a whole (everything hidden).</param>
/// <param name="SuppressedFigures">
/// The figures hidden for this filter, by id (<see cref="FigureId"/>), in the plan's figure order; empty when
/// everything may be shown.
/// </param>
public sealed record FilterDecision(PanelFilter Filter, int Respondents, bool Suppressed, IReadOnlySet<string> SuppressedFigures)
{
    /// <summary>Whether a figure of this filter may be shown: the filter is not suppressed and neither is the figure.</summary>
    /// <remarks>A figure of an empty filter "may be shown" in that it is not secret; it is undefined all the same.</remarks>
    public bool Shows(string figure) => !Suppressed && !SuppressedFigures.Contains(figure);
}

/// <summary>
/// The ids of the figures a <see cref="SecrecyPlan"/> decides on. Each names a family of results computed on
/// the same respondents: the members of the filter for whom the figure is defined.
/// </summary>
public static class FigureId
{
    /// <summary>The prefix of question figures.</summary>
    public const string QuestionPrefix = "question:";

    /// <summary>The prefix of theme figures.</summary>
    public const string ThemePrefix = "theme:";

    /// <summary>The prefix of alpha figures.</summary>
    public const string AlphaPrefix = "alpha:";

    /// <summary>The prefix of correlation figures.</summary>
    public const string CorrelationPrefix = "correlation:";

    /// <summary>
    /// <c>index</c>: the global index (its statistics, the distribution of collectivités by index) and the
    /// segmentation, over the respondents with a global index (<see cref="Scoring.HasGlobalIndex"/>).
    /// </summary>
    public const string Index = "index";

    /// <summary>
    /// <c>question:&lt;id&gt;</c>: the distribution of answers to the question (answered, counts, shares,
    /// at-least shares) and every key indicator on it, over the respondents who gave it a level.
    /// </summary>
    public static string Question(string questionId) => QuestionPrefix + questionId;

    /// <summary>
    /// <c>theme:&lt;id&gt;</c>: the theme's number scored, mean, median, quartiles, bootstrap interval and rank,
    /// over the respondents with a score on the theme (<see cref="Scoring.IsThemeScored"/>).
    /// </summary>
    public static string Theme(string themeId) => ThemePrefix + themeId;

    /// <summary><c>alpha:&lt;id&gt;</c>: Cronbach's alpha of the theme, over the respondents who answered all its questions.</summary>
    public static string Alpha(string themeId) => AlphaPrefix + themeId;

    /// <summary>
    /// <c>correlation:&lt;a&gt;:&lt;b&gt;</c> with <paramref name="first"/> before <paramref name="second"/> in model
    /// order: Pearson's r, Spearman's ρ and the p-value between two themes' scores, over the respondents scored
    /// on both.
    /// </summary>
    public static string Correlation(string first, string second) => CorrelationPrefix + first + ":" + second;
}

/// <summary>A read-only set of figure ids that enumerates in the plan's figure order.</summary>
internal sealed class FigureSet : IReadOnlySet<string>
{
    private readonly string[] _items;
    private readonly HashSet<string> _lookup;

    public FigureSet(IEnumerable<string> orderedItems)
    {
        _items = [.. orderedItems];
        _lookup = new HashSet<string>(_items, StringComparer.Ordinal);
    }

    public static FigureSet Empty { get; } = new([]);

    public int Count => _items.Length;

    public bool Contains(string item) => _lookup.Contains(item);

    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool IsProperSubsetOf(IEnumerable<string> other) => _lookup.IsProperSubsetOf(other);

    public bool IsProperSupersetOf(IEnumerable<string> other) => _lookup.IsProperSupersetOf(other);

    public bool IsSubsetOf(IEnumerable<string> other) => _lookup.IsSubsetOf(other);

    public bool IsSupersetOf(IEnumerable<string> other) => _lookup.IsSupersetOf(other);

    public bool Overlaps(IEnumerable<string> other) => _lookup.Overlaps(other);

    public bool SetEquals(IEnumerable<string> other) => _lookup.SetEquals(other);

    public override string ToString() => "{" + string.Join(", ", _items) + "}";
}
