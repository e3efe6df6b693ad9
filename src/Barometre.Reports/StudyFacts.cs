using Barometre.Core;
using Barometre.Core.Model;
using Barometre.Core.Results;

namespace Barometre.Reports;

/// <summary>A strongly correlated pair of themes.</summary>
/// <param name="First">Index of the first theme (model order).</param>
/// <param name="Second">Index of the second theme.</param>
/// <param name="R">Pearson's r.</param>
/// <param name="P">Its two-sided p-value.</param>
public sealed record ThemePair(int First, int Second, double R, double P);

/// <summary>
/// Facts derived from results for the study's prose: ordered themes, strong pairs, per-theme
/// commentary, « ce qu'il faut retenir ». Pure functions of the model and the results; no statistic is
/// computed here that the core does not already publish, except sums of published counts.
/// </summary>
public sealed class StudyFacts
{
    /// <summary>|r| at or above which a pair is called strong (with p below <see cref="StrongP"/>).</summary>
    public const double StrongR = 0.6;

    /// <summary>The significance level for strong pairs.</summary>
    public const double StrongP = 0.05;

    /// <summary>
    /// A mean silhouette at or below this shows no substantial cluster structure (Kaufman and Rousseeuw,
    /// <i>Finding Groups in Data</i>, 1990: 0.26–0.50 weak, 0.51–0.70 reasonable, above 0.70 strong).
    /// </summary>
    public const double WeakSilhouette = 0.25;

    /// <summary>Below this many answers, a key figure shows its 95 % interval next to its value.</summary>
    public const int SmallSample = 100;

    private readonly MaturityModel _model;
    private readonly BarometerResults _results;

    /// <summary>Derives the facts of <paramref name="results"/> computed on <paramref name="model"/>.</summary>
    public StudyFacts(MaturityModel model, BarometerResults results)
    {
        _model = model;
        _results = results;
        RankedThemes = [.. results.Themes.Select((theme, index) => (theme, index)).Where(t => t.theme.Rank is not null).OrderBy(t => t.theme.Rank).Select(t => t.index)];
        StrongPairs = FindStrongPairs(results.Correlations);
        IsSynthetic = results.Scores.Count > 0 && results.Scores.All(score =>
            score.Code.StartsWith(Core.Synthetic.SyntheticPanel.CodePrefix, StringComparison.Ordinal) && score.Nom.Contains("fictive", StringComparison.Ordinal));
        Composition = [.. results.Scores.GroupBy(s => s.Type ?? "Non renseigné").Select(g => (g.Key, g.Count())).OrderByDescending(g => g.Item2).ThenBy(g => g.Key, StringComparer.Ordinal)];
    }

    /// <summary>Whether the segments have a mean silhouette of <see cref="WeakSilhouette"/> or less: they cut a continuum rather than find groups.</summary>
    public bool WeakSegments => _results.Segments.Silhouette is { } silhouette && silhouette <= WeakSilhouette;

    /// <summary>The warning printed beside segments of weak structure (<see cref="WeakSegments"/>).</summary>
    public static string WeakSegmentsWarning(double silhouette) =>
        $"Segments peu marqués : la silhouette moyenne, {FrenchFormat.Number(silhouette, 2)}, ne dépasse pas {FrenchFormat.Number(WeakSilhouette, 2)}, seuil sous lequel "
        + "aucune structure de groupes substantielle n'est trouvée (Kaufman et Rousseeuw). Les segments découpent un continuum de maturité : "
        + "lisez-les comme des repères, pas comme des profils tranchés.";

    /// <summary>Whether the panel is the synthetic one of <c>barometre demo</c> (every code SYN…, every name « fictive »).</summary>
    public bool IsSynthetic { get; }

    /// <summary>Theme indices by rank (1 first); unranked themes are left out.</summary>
    public IReadOnlyList<int> RankedThemes { get; }

    /// <summary>Pairs with |r| ≥ 0.6 and p &lt; 0.05, strongest first.</summary>
    public IReadOnlyList<ThemePair> StrongPairs { get; }

    /// <summary>Respondents per type, most frequent first.</summary>
    public IReadOnlyList<(string Type, int Count)> Composition { get; }

    /// <summary>The indicators counting a question of theme <paramref name="theme"/>, in model order.</summary>
    public IEnumerable<(Indicator Indicator, IndicatorResult Result)> KeyFigures(int theme) =>
        _model.Indicators.Zip(_results.Indicators)
            .Where(pair => _model.ThemeOfQuestion[_model.IndexOfQuestion(pair.First.QuestionId)] == theme);

    /// <summary>The statement without its leading value (shown apart, in large type), capitalised.</summary>
    public static string StatementWithoutValue(IndicatorResult indicator)
    {
        if (indicator.Value is not { } value || indicator.Statement.Length == 0)
        {
            return indicator.Statement;
        }
        var prefix = FrenchFormat.Percent(value);
        var rest = indicator.Statement.StartsWith(prefix, StringComparison.Ordinal) ? indicator.Statement[prefix.Length..].TrimStart() : indicator.Statement;
        return rest.Length > 0 ? char.ToUpperInvariant(rest[0]) + rest[1..] : rest;
    }

    /// <summary>
    /// Pooled over a theme's questions: the share of answers at or above the middle level (« orientations
    /// formalisées » on the 2019 scale), the share of those at or above the next level (« mise en œuvre
    /// engagée »), and the share of answers at the top level. Null when nobody answered.
    /// </summary>
    public (double AtLeastMiddle, double ThenNext, double Top, int Answers)? Progression(int theme)
    {
        var scale = _model.Scale;
        var middle = scale.Count / 2;
        var next = Math.Min(middle + 1, scale.MaxLevel);
        var questions = _results.Questions.Where((_, q) => _model.ThemeOfQuestion[q] == theme).ToList();
        var answers = questions.Sum(q => q.Answered);
        if (answers == 0)
        {
            return null;
        }
        var atLeastMiddle = questions.Sum(q => q.Counts.Skip(middle).Sum());
        var atLeastNext = questions.Sum(q => q.Counts.Skip(next).Sum());
        var top = questions.Sum(q => q.Counts[scale.MaxLevel]);
        return ((double)atLeastMiddle / answers, atLeastMiddle > 0 ? (double)atLeastNext / atLeastMiddle : 0, (double)top / answers, answers);
    }

    /// <summary>The data-driven commentary of a theme, in French, a sentence per item.</summary>
    public IReadOnlyList<string> Commentary(int theme)
    {
        var sentences = new List<string>();
        var scale = _model.Scale;
        var questionCount = _model.Themes[theme].Questions.Count;
        if (Progression(theme) is { } p)
        {
            var middle = scale.LabelOf(scale.Count / 2).ToLowerInvariant();
            var next = scale.LabelOf(Math.Min((scale.Count / 2) + 1, scale.MaxLevel)).ToLowerInvariant();
            sentences.Add(
                $"Sur l'ensemble des réponses aux {questionCount} question{(questionCount > 1 ? "s" : "")} du thème, {FrenchFormat.Percent(p.AtLeastMiddle)} "
                + $"atteignent au moins le niveau « {middle} » ; parmi elles, {FrenchFormat.Percent(p.ThenNext)} vont jusqu'à « {next} » ou au-delà. "
                + $"{Capitalise(FrenchFormat.Percent(p.Top))} des réponses font état d'une « {scale.LabelOf(scale.MaxLevel).ToLowerInvariant()} ».");
        }

        var questions = Enumerable.Range(0, _model.Questions.Count).Where(q => _model.ThemeOfQuestion[q] == theme && _results.Questions[q].Answered > 0).ToList();
        if (questions.Count >= 2)
        {
            var next = Math.Min((scale.Count / 2) + 1, scale.MaxLevel);
            var byProgress = questions.OrderByDescending(q => _results.Questions[q].AtLeast[next]).ToList();
            var most = byProgress[0];
            var least = byProgress[^1];
            if (_results.Questions[most].AtLeast[next] > _results.Questions[least].AtLeast[next])
            {
                sentences.Add(
                    $"Le sujet le plus avancé : « {Quoted(_model.Questions[most].Label)} » ({FrenchFormat.Percent(_results.Questions[most].AtLeast[next]!.Value)} au moins au niveau « {scale.LabelOf(next).ToLowerInvariant()} »). "
                    + $"Le moins avancé : « {Quoted(_model.Questions[least].Label)} » ({FrenchFormat.Percent(_results.Questions[least].AtLeast[next]!.Value)}).");
            }
        }

        var partners = StrongPairs.Where(pair => pair.First == theme || pair.Second == theme)
            .Select(pair => (Other: pair.First == theme ? pair.Second : pair.First, pair.R)).ToList();
        if (partners.Count > 0)
        {
            var names = string.Join(", ", partners.Select(x => $"{_model.Themes[x.Other].Title} (r = {FrenchFormat.Number(x.R, 2)})"));
            sentences.Add(partners.All(x => x.R > 0)
                ? $"Les collectivités avancées sur ce thème le sont aussi sur : {names}."
                : $"La maturité sur ce thème varie fortement avec : {names}.");
        }

        var segments = _results.Segments.Groups.Where(g => g.Size > 0).ToList();
        var themeId = _model.Themes[theme].Id;
        if (segments.Count >= 2 && segments[0].Centroid.GetValueOrDefault(themeId) is { } high && segments[^1].Centroid.GetValueOrDefault(themeId) is { } low)
        {
            sentences.Add($"Écart entre {segments[0].Label.ToLowerInvariant()} et {segments[^1].Label.ToLowerInvariant()} sur ce thème : {FrenchFormat.Number(high - low, 0)} points ({FrenchFormat.Number(high, 0)} contre {FrenchFormat.Number(low, 0)}).");
        }
        return sentences;
    }

    /// <summary>
    /// Each non-empty segment's share of the respondents, in published order, rounded so that with the
    /// unsegmented respondents' share they add up to 100 % (<see cref="FrenchFormat.Percents"/>).
    /// </summary>
    public IReadOnlyList<string> SegmentShares()
    {
        var sizes = _results.Segments.Groups.Where(g => g.Size > 0).Select(g => (long)g.Size).ToList();
        return FrenchFormat.Percents([.. sizes, _results.Respondents - sizes.Sum()])[..sizes.Count];
    }

    /// <summary>« Ce qu'il faut retenir »: the study's conclusions, computed.</summary>
    public IReadOnlyList<string> Takeaways()
    {
        var items = new List<string>();
        if (RankedThemes.Count >= 2)
        {
            var best = _results.Themes[RankedThemes[0]];
            var worst = _results.Themes[RankedThemes[^1]];
            items.Add($"Le thème le plus mûr est « {best.Title} » (score moyen {FrenchFormat.Number(best.Mean!.Value, 0)} sur 100) ; le moins mûr, « {worst.Title} » ({FrenchFormat.Number(worst.Mean!.Value, 0)} sur 100).");
        }
        var defined = _results.Indicators.Where(i => i.Value is not null && i.Statement.Length > 0).ToList();
        if (defined.Count >= 2)
        {
            var highest = defined.MaxBy(i => i.Value)!;
            var lowest = defined.MinBy(i => i.Value)!;
            items.Add($"Aux deux extrêmes des chiffres clés : {highest.Statement} ; {lowest.Statement}.");
        }
        var groups = _results.Segments.Groups.Where(g => g.Size > 0).ToList();
        if (groups.Count >= 2)
        {
            var shares = SegmentShares();
            var parts = string.Join(", ", groups.Select((g, i) => $"{g.Label.ToLowerInvariant()} ({shares[i]})"));
            var gap = groups[0].MeanIndex - groups[^1].MeanIndex;
            items.Add($"Les collectivités se répartissent en {groups.Count} profils : {parts}"
                + (gap is { } g2 ? $" ; {FrenchFormat.Number(g2, 0)} points d'indice global séparent les {groups[0].Label.ToLowerInvariant()} des {groups[^1].Label.ToLowerInvariant()}." : "."));
        }
        if (StrongPairs.Count > 0)
        {
            var top = StrongPairs[0];
            items.Add($"Les thèmes « {_model.Themes[top.First].Title} » et « {_model.Themes[top.Second].Title} » évoluent ensemble (r = {FrenchFormat.Number(top.R, 2)}) ; {StrongPairs.Count} couple{(StrongPairs.Count > 1 ? "s" : "")} de thèmes fortement corrélé{(StrongPairs.Count > 1 ? "s" : "")} au total.");
        }
        return items;
    }

    private static List<ThemePair> FindStrongPairs(CorrelationResults correlations)
    {
        var pairs = new List<ThemePair>();
        for (var i = 0; i < correlations.Themes.Count; i++)
        {
            for (var j = i + 1; j < correlations.Themes.Count; j++)
            {
                if (correlations.Pearson[i][j] is { } r && correlations.PValues[i][j] is { } p && Math.Abs(r) >= StrongR && p < StrongP)
                {
                    pairs.Add(new ThemePair(i, j, r, p));
                }
            }
        }
        return [.. pairs.OrderByDescending(pair => Math.Abs(pair.R))];
    }

    private static string Capitalise(string text) => text.Length > 0 ? char.ToUpperInvariant(text[0]) + text[1..] : text;

    /// <summary>A label quoted inside a sentence, without its final period.</summary>
    private static string Quoted(string label) => label.TrimEnd('.', ' ');
}
