using Barometre.Core.Model;
using Barometre.Core.Publication;
using Barometre.Core.Responses;
using Barometre.Core.Results;

namespace Barometre.Core.Evolution;

/// <summary>One published figure's change between two published editions, as the public may see it.</summary>
/// <param name="Kind">« theme », « indicator » or « index ».</param>
/// <param name="Id">The figure's id in the later model (« index » for the global index).</param>
/// <param name="BeforeId">Its id in the earlier model.</param>
/// <param name="Title">Its title in the later model.</param>
/// <param name="Suppressed">
/// Whether the change is withheld: either edition's figure for the selection is under statistical secrecy, or the earlier
/// figure is not one the earlier edition published (a merged theme, levels translated).
/// </param>
/// <param name="TestsSuppressed">
/// Whether the interval, the tests and the significance are withheld (always when <paramref name="Suppressed"/>): the
/// collectivités in both editions form a group the secrecy rule does not allow to describe (see <see cref="PublicEvolution"/>).
/// </param>
/// <param name="Change">The change, with every withheld member undefined; null when <paramref name="Suppressed"/>.</param>
public sealed record PublicChange(string Kind, string Id, string BeforeId, string? Title, bool Suppressed, bool TestsSuppressed, MeasureChange? Change)
{
    /// <summary>Whether the change is significant at 5 % (<see cref="MeasureChange.IsSignificant"/>); null when withheld.</summary>
    public bool? Significant => Suppressed || TestsSuppressed ? null : Change!.IsSignificant;
}

/// <summary>An edition as the public sees it for one selection.</summary>
/// <param name="Model">Its model's id.</param>
/// <param name="Edition">Its model's edition label (« 2019 »), or null.</param>
/// <param name="Respondents">Its respondents in the selection; null when the selection is under statistical secrecy there.</param>
public sealed record PublicEdition(string Model, string? Edition, int? Respondents);

/// <summary>What the public sees of the change between two published editions for one selection.</summary>
/// <param name="Filter">The selection (the same criteria in both editions).</param>
/// <param name="Before">The earlier edition's model and respondents of the selection (null respondents when the selection is secret there).</param>
/// <param name="After">The later edition's.</param>
/// <param name="Themes">The later model's comparable themes, in its order.</param>
/// <param name="Indicators">The later model's comparable key indicators, in its order.</param>
/// <param name="Index">The global index (each edition's own).</param>
public sealed record PublicEvolutionView(
    PanelFilter Filter, PublicEdition Before, PublicEdition After, IReadOnlyList<PublicChange> Themes, IReadOnlyList<PublicChange> Indicators, PublicChange Index);

/// <summary>
/// The changes between two published editions under statistical secrecy, for the whole panel and every selection the
/// later edition's dashboard offers: the rule of docs/publication.md (« Changes between editions »), applied once per
/// pair of publications.
/// </summary>
/// <remarks>
/// <para>
/// <b>Before, after and delta.</b> A figure's change is shown for a selection only when the earlier edition publishes
/// that figure for the same selection (its own plan, its own threshold) and the later edition publishes it too (its
/// plan): then before and after are figures both dashboards already show, and their difference tells nothing more. A
/// change whose earlier value no earlier dashboard shows (a theme merged from several, or levels translated onto
/// another scale: the earlier value is recomputed on another group) is withheld. So two editions that differ by one
/// collectivité can never give its value: a selection secret in either edition shows no change.
/// </para>
/// <para>
/// <b>Intervals and tests.</b> The interval and the paired test also use the collectivités in both editions (the
/// overlap O), a group neither plan decided on. They are shown only when (a) O is empty, or O is published by a
/// secrecy plan built on the overlap at the larger of the two thresholds N — for each figure, over the collectivités
/// that have a value in both editions, so that no sum or difference of overlap groups across selections isolates
/// fewer than N of them — and (b) the collectivités of the selection in one edition only number 0 or at least N on
/// each side (|A| − |O| and |B| − |O|), so that the overlap cannot be subtracted from either published group to
/// describe fewer than N. A collectivité whose type, region or population band changed between the editions is
/// treated as in one edition only (it would otherwise be paired in some selections and not others). The statistics
/// themselves (ranks, a p-value, bootstrap percentiles) are not linear in the values; like medians and quartiles they
/// are not analysed further.
/// </para>
/// </remarks>
public sealed class PublicEvolution
{
    private readonly EditionMapping _mapping;
    private readonly ResponseSet _before;
    private readonly BarometerResults _beforeResults;
    private readonly SecrecyPlan _beforePlan;
    private readonly ResponseSet _after;
    private readonly BarometerResults _afterResults;
    private readonly SecrecyPlan _afterPlan;
    private readonly SecrecyPlan? _pairedThemes;
    private readonly SecrecyPlan? _pairedIndicators;
    private readonly SecrecyPlan? _pairedIndex;
    private readonly int _threshold;
    private readonly bool _renamed;

    /// <summary>Prepares the changes between two published editions.</summary>
    /// <param name="mapping">How the later model continues the earlier one.</param>
    /// <param name="before">The earlier edition's frozen answers.</param>
    /// <param name="beforeResults">Their frozen results.</param>
    /// <param name="beforePlan">The earlier edition's secrecy plan (its publication's threshold).</param>
    /// <param name="after">The later edition's frozen answers.</param>
    /// <param name="afterResults">Their frozen results.</param>
    /// <param name="afterPlan">The later edition's secrecy plan.</param>
    public PublicEvolution(EditionMapping mapping, ResponseSet before, BarometerResults beforeResults, SecrecyPlan beforePlan, ResponseSet after, BarometerResults afterResults, SecrecyPlan afterPlan)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(beforeResults);
        ArgumentNullException.ThrowIfNull(beforePlan);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(afterResults);
        ArgumentNullException.ThrowIfNull(afterPlan);
        _mapping = mapping;
        _beforeResults = beforeResults;
        _beforePlan = beforePlan;
        _after = after;
        _afterResults = afterResults;
        _afterPlan = afterPlan;
        _threshold = Math.Max(beforePlan.Threshold, afterPlan.Threshold);

        var afterRows = new Dictionary<string, int>(after.Count, StringComparer.Ordinal);
        for (var r = 0; r < after.Count; r++)
        {
            afterRows.TryAdd(after.Respondents[r].Code, r);
        }
        // Movers are unpaired everywhere: their earlier code is changed so that no comparison matches it.
        var pairs = new List<(int Before, int After)>();
        var respondents = new List<Respondent>(before.Count);
        for (var r = 0; r < before.Count; r++)
        {
            var earlier = before.Respondents[r];
            if (afterRows.TryGetValue(earlier.Code, out var a) && SameGroups(earlier, after.Respondents[a]))
            {
                pairs.Add((r, a));
                respondents.Add(earlier);
            }
            else
            {
                var moved = afterRows.ContainsKey(earlier.Code);
                _renamed |= moved;
                respondents.Add(moved ? earlier with { Code = "\u0001avant:" + earlier.Code } : earlier);
            }
        }
        _before = _renamed ? new ResponseSet(before.Model, respondents, before.Cells) : before;
        (_pairedThemes, _pairedIndicators, _pairedIndex) = PairedPlans(pairs);
    }

    /// <summary>The public changes for a selection: for <see cref="PanelFilter.WholePanel"/>, or any filter valid in the later edition.</summary>
    public PublicEvolutionView ForFilter(PanelFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var beforeDecision = _beforePlan.Decide(filter);
        var afterDecision = _afterPlan.Decide(filter);
        var before = filter.IsWholePanel ? _before : _before.Where(filter.Matches);
        var after = filter.IsWholePanel ? _after : _after.Where(filter.Matches);
        var beforeSummary = new PublicEdition(_mapping.Earlier.Id, _mapping.Earlier.Edition, beforeDecision.Suppressed ? null : before.Count);
        var afterSummary = new PublicEdition(_mapping.Later.Id, _mapping.Later.Edition, afterDecision.Suppressed ? null : after.Count);
        if (beforeDecision.Suppressed || afterDecision.Suppressed || before.Count == 0 || after.Count == 0)
        {
            return new PublicEvolutionView(filter, beforeSummary, afterSummary,
                [.. _mapping.Themes.Where(t => t.IsComparable).Select(t => Withheld("theme", t.Theme.Id, t.EarlierThemes[0].Id, t.Theme.Title))],
                [.. _mapping.Indicators.Where(i => i.IsComparable).Select(i => Withheld("indicator", i.Indicator.Id, i.EarlierIndicator!.Id, i.Indicator.Title))],
                Withheld("index", FigureId.Index, FigureId.Index, "Indice global"));
        }
        var options = Options(_afterResults.Parameters);
        var beforeResults = filter.IsWholePanel && !_renamed ? _beforeResults : Barometer.Compute(before, Options(_beforeResults.Parameters));
        var afterResults = filter.IsWholePanel ? _afterResults : Barometer.Compute(after, options);
        var changes = EditionComparison.Compare(_mapping, before, beforeResults, after, afterResults, new BarometerOptions { Seed = options.Seed, Bootstrap = options.Bootstrap, K = options.K });

        // Without any collectivité in both editions nothing is paired: the tests and intervals use the published groups only.
        var pairedThemes = _pairedThemes?.Decide(filter);
        var pairedIndicators = _pairedIndicators?.Decide(filter);
        var pairedIndex = _pairedIndex?.Decide(filter);
        var themes = changes.Themes.Select(change =>
        {
            var comparison = _mapping.Themes[_mapping.Later.IndexOfTheme(change.Id)];
            var published = comparison.UsesPublishedScore
                && beforeDecision.Shows(FigureId.Theme(change.BeforeIds[0])) && afterDecision.Shows(FigureId.Theme(change.Id));
            return Disclose("theme", change.Id, change.BeforeIds[0], change.Title, change.Change, published,
                pairedThemes?.Shows(FigureId.Theme(change.Id)) == true, change.ScoredBefore, change.ScoredAfter);
        }).ToList();
        var indicators = changes.Indicators.Select(change =>
        {
            var comparison = _mapping.Indicators.First(i => i.Indicator.Id == change.Id);
            var published = beforeDecision.Shows(FigureId.Question(comparison.EarlierIndicator!.QuestionId))
                && afterDecision.Shows(FigureId.Question(comparison.Indicator.QuestionId));
            return Disclose("indicator", change.Id, change.BeforeId, change.Title, change.Change, published,
                pairedIndicators?.Shows(FigureId.Question(comparison.Indicator.QuestionId)) == true, change.AnsweredBefore, change.AnsweredAfter);
        }).ToList();
        var index = Disclose("index", FigureId.Index, FigureId.Index, "Indice global", changes.Index,
            beforeDecision.Shows(FigureId.Index) && afterDecision.Shows(FigureId.Index), pairedIndex?.Shows(FigureId.Index) == true,
            beforeResults.Scores.Count(s => s.Index is not null), afterResults.Scores.Count(s => s.Index is not null));
        return new PublicEvolutionView(filter, beforeSummary, afterSummary, themes, indicators, index);
    }

    private PublicChange Disclose(string kind, string id, string beforeId, string? title, MeasureChange change, bool published, bool overlapPublished, int before, int after)
    {
        if (!published)
        {
            return Withheld(kind, id, beforeId, title);
        }
        var paired = change.Paired.N;
        var testsShown = paired == 0 || (overlapPublished && Apart(before - paired) && Apart(after - paired));
        return testsShown
            ? new PublicChange(kind, id, beforeId, title, false, false, change)
            : new PublicChange(kind, id, beforeId, title, false, true, change with { Ci95 = new Interval(null, null), Paired = Hidden(change.Paired), Unpaired = Hidden(change.Unpaired) });
    }

    /// <summary>Two nested groups may differ by nobody, or by at least N.</summary>
    private bool Apart(int difference) => difference == 0 || difference >= _threshold;

    private static ChangeTest Hidden(ChangeTest test) => test with { N = 0, Statistic = null, PValue = null };

    private static PublicChange Withheld(string kind, string id, string beforeId, string? title) => new(kind, id, beforeId, title, true, true, null);

    private static BarometerOptions Options(ComputationParameters parameters) =>
        new() { Seed = parameters.Seed, Bootstrap = parameters.Bootstrap, K = parameters.K, Silhouette = false };

    /// <summary>Whether a collectivité falls in the same selections in both editions: same type, region and population band.</summary>
    private static bool SameGroups(Respondent earlier, Respondent later) =>
        earlier.Type == later.Type && earlier.Region == later.Region && PopulationBands.Of(earlier.Population) == PopulationBands.Of(later.Population);

    /// <summary>
    /// Secrecy plans of the overlap (later answers and attributes of the paired collectivités), one per kind of figure,
    /// whose families are exactly the collectivités with a value in both editions: a theme's questions are blanked where
    /// the earlier theme has no score, an indicator's question where the earlier question has no level, and a
    /// collectivité without an earlier index is left out of the index's plan.
    /// </summary>
    private (SecrecyPlan? Themes, SecrecyPlan? Indicators, SecrecyPlan? Index) PairedPlans(List<(int Before, int After)> pairs)
    {
        var later = _mapping.Later;
        var q = later.Questions.Count;
        var themeCells = new sbyte[pairs.Count * q];
        var indicatorCells = new sbyte[pairs.Count * q];
        var indexCells = new List<sbyte>();
        var indexRespondents = new List<Respondent>();
        for (var p = 0; p < pairs.Count; p++)
        {
            var (b, a) = pairs[p];
            var earlierRow = _before.Row(b);
            var laterRow = _after.Row(a);
            laterRow.CopyTo(themeCells.AsSpan(p * q, q));
            laterRow.CopyTo(indicatorCells.AsSpan(p * q, q));
            foreach (var theme in _mapping.Themes.Where(t => t.IsComparable))
            {
                if (double.IsNaN(theme.EarlierScore(earlierRow)))
                {
                    var first = later.FirstQuestionOfTheme[later.IndexOfTheme(theme.Theme.Id)];
                    themeCells.AsSpan((p * q) + first, theme.Theme.Questions.Count).Fill(CellCode.Blank);
                }
            }
            foreach (var indicator in _mapping.Indicators.Where(i => i.IsComparable))
            {
                if (!CellCode.IsLevel(earlierRow[_mapping.Earlier.IndexOfQuestion(indicator.EarlierIndicator!.QuestionId)]))
                {
                    indicatorCells[(p * q) + later.IndexOfQuestion(indicator.Indicator.QuestionId)] = CellCode.Blank;
                }
            }
            if (_beforeResults.Scores[b].Index is not null)
            {
                indexRespondents.Add(_after.Respondents[a]);
                indexCells.AddRange(laterRow);
            }
        }
        var respondents = pairs.Select(p => _after.Respondents[p.After]).ToList();
        SecrecyPlan? Plan(List<Respondent> members, sbyte[] cells) => members.Count == 0 ? null : SecrecyPlan.Build(new ResponseSet(later, members, cells), _threshold);
        return (Plan(respondents, themeCells), Plan(respondents, indicatorCells), Plan(indexRespondents, [.. indexCells]));
    }
}
