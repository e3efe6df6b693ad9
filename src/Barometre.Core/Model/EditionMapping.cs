using System.Globalization;

namespace Barometre.Core.Model;

/// <summary>Where a problem of a lineage lies in the <c>follows:</c> block.</summary>
public enum LineageSection
{
    /// <summary><c>follows.model</c>, or the block as a whole (absent, or naming another model).</summary>
    Model,

    /// <summary>An entry of <c>follows.themes</c>.</summary>
    Themes,

    /// <summary>An entry of <c>follows.questions</c>.</summary>
    Questions,

    /// <summary>An entry of <c>follows.indicators</c>.</summary>
    Indicators,

    /// <summary>An entry of <c>follows.levels</c>.</summary>
    Levels,
}

/// <summary>A reason a later model cannot be mapped onto an earlier one, located in its <c>follows:</c> block.</summary>
/// <param name="Section">The part of the block.</param>
/// <param name="Key">The entry's key: a later id, or an earlier level written in decimal; null for <see cref="LineageSection.Model"/>.</param>
/// <param name="Value">The earlier id concerned within the entry (one item of a merged theme's list), or null.</param>
/// <param name="Message">What is wrong, in French.</param>
public sealed record LineageProblem(LineageSection Section, string? Key, string? Value, string Message);

/// <summary>The kinds of measures two editions compare.</summary>
public enum MeasureKind
{
    /// <summary>A theme (its score).</summary>
    Theme,

    /// <summary>A question (its levels).</summary>
    Question,

    /// <summary>A key indicator (its share).</summary>
    Indicator,
}

/// <summary>A measure of one edition that has no comparable counterpart in the other, and why.</summary>
/// <param name="Kind">Theme, question or indicator.</param>
/// <param name="Id">Its id in its own model.</param>
/// <param name="Reason">Why it is not compared, in French (« nouveau thème, sans équivalent dans l'édition 2019 »).</param>
public sealed record NotComparable(MeasureKind Kind, string Id, string Reason);

/// <summary>How an earlier edition's measures compare with a later edition's: the rules of a model's lineage, resolved.</summary>
/// <remarks>
/// <para>
/// The later model's <see cref="MaturityModel.Follows"/> must name the earlier model (or both models are the same
/// id: every measure then maps onto itself). An id present in both models and absent from the lineage's maps is the
/// same measure; an id only in the later model is new; one only in the earlier model is dropped.
/// </para>
/// <para>
/// Levels: when the lineage gives <see cref="ModelLineage.Levels"/>, an earlier level translates through it and
/// every earlier level must have a translation; otherwise both scales must have as many levels, and a level is
/// itself. When neither holds, nothing is comparable: no theme, question or indicator, each with the reason.
/// </para>
/// <para>
/// Themes are compared on their scores. A later theme's earlier score is <see cref="Scoring"/>'s theme score over
/// every question of the earlier themes it continues (their union, in earlier model order) with the earlier answers
/// translated to the later scale when the lineage gives levels; for a theme continuing one earlier theme on a scale
/// left as it was, it is that theme's published score, bit for bit (<see cref="ThemeComparison.UsesPublishedScore"/>).
/// Questions are compared on their levels. An indicator is compared when the later indicator counts the question
/// that continues the earlier indicator's question, and its predicate counts an earlier answer exactly when the
/// earlier predicate does once the answer is translated — so the earlier edition's published share is the share the
/// later indicator gives on the translated answers — and counts each later level with no earlier counterpart as the
/// levels around it, the only reading that is not a guess (none when those levels are counted differently).
/// </para>
/// </remarks>
public sealed class EditionMapping
{
    private readonly int[]? _levels;

    /// <summary>Resolves how <paramref name="later"/> compares with <paramref name="earlier"/>.</summary>
    /// <param name="earlier">The earlier edition's model.</param>
    /// <param name="later">The later edition's model, whose lineage names <paramref name="earlier"/>.</param>
    /// <exception cref="ArgumentException">The lineage does not fit the earlier model (<see cref="Validate"/> lists why).</exception>
    public EditionMapping(MaturityModel earlier, MaturityModel later)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        ArgumentNullException.ThrowIfNull(later);
        var problems = Validate(earlier, later);
        if (problems.Count > 0)
        {
            throw new ArgumentException($"Model {later.Id} does not map onto {earlier.Id}: {string.Join(" ; ", problems.Select(p => p.Message))}", nameof(later));
        }
        Earlier = earlier;
        Later = later;
        var lineage = LineageOf(earlier, later);

        if (lineage.Levels is { } map)
        {
            var missing = Enumerable.Range(0, earlier.Scale.Count).Where(level => !map.ContainsKey(level)).ToList();
            if (missing.Count == 0)
            {
                _levels = [.. Enumerable.Range(0, earlier.Scale.Count).Select(level => map[level])];
            }
            else
            {
                LevelsReason = $"la correspondance des niveaux (« levels ») ne traduit pas {(missing.Count == 1 ? "le niveau" : "les niveaux")} {string.Join(", ", missing)} {In(earlier)}";
            }
        }
        else if (earlier.Scale.Count != later.Scale.Count)
        {
            LevelsReason = $"les échelles diffèrent ({earlier.Scale.Count} niveaux {In(earlier)}, {later.Scale.Count} {In(later)}) et aucune correspondance des niveaux (« levels ») n'est donnée";
        }

        Questions = [.. later.Questions.Select(question => ResolveQuestion(question, lineage))];
        Themes = [.. later.Themes.Select((theme, index) => ResolveTheme(theme, index, lineage))];
        Indicators = [.. later.Indicators.Select(indicator => ResolveIndicator(indicator, lineage))];
        NotComparableBefore = EarlierNotComparable();
        NotComparableAfter =
        [
            .. Themes.Where(t => !t.IsComparable).Select(t => new NotComparable(MeasureKind.Theme, t.Theme.Id, t.Reason!)),
            .. Questions.Where(q => !q.IsComparable).Select(q => new NotComparable(MeasureKind.Question, q.Question.Id, q.Reason!)),
            .. Indicators.Where(i => !i.IsComparable).Select(i => new NotComparable(MeasureKind.Indicator, i.Indicator.Id, i.Reason!)),
        ];
    }

    /// <summary>The earlier edition's model.</summary>
    public MaturityModel Earlier { get; }

    /// <summary>The later edition's model.</summary>
    public MaturityModel Later { get; }

    /// <summary>Why earlier levels do not translate into later ones (then nothing is comparable), in French; null when they do.</summary>
    public string? LevelsReason { get; }

    /// <summary>Whether every earlier level translates into a later level.</summary>
    public bool LevelsComparable => LevelsReason is null;

    /// <summary>Whether earlier levels go through the lineage's <see cref="ModelLineage.Levels"/> (rather than staying as they are).</summary>
    public bool TranslatesLevels => _levels is not null;

    /// <summary>One comparison per later theme, in later model order (index as <see cref="MaturityModel.Themes"/>).</summary>
    public IReadOnlyList<ThemeComparison> Themes { get; }

    /// <summary>One comparison per later question, in later model order (index as <see cref="MaturityModel.Questions"/>).</summary>
    public IReadOnlyList<QuestionComparison> Questions { get; }

    /// <summary>One comparison per later indicator, in later model order (index as <see cref="MaturityModel.Indicators"/>).</summary>
    public IReadOnlyList<IndicatorComparison> Indicators { get; }

    /// <summary>
    /// The earlier themes, questions and indicators compared with nothing — dropped, or continued by a measure that
    /// is not comparable — in that order, each in earlier model order.
    /// </summary>
    public IReadOnlyList<NotComparable> NotComparableBefore { get; }

    /// <summary>
    /// The later themes, questions and indicators compared with nothing — new, or not comparable — in that order,
    /// each in later model order.
    /// </summary>
    public IReadOnlyList<NotComparable> NotComparableAfter { get; }

    /// <summary>The later level an earlier level stands for.</summary>
    /// <exception cref="InvalidOperationException">Levels are not comparable (<see cref="LevelsReason"/>).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A level outside the earlier scale.</exception>
    public int TranslateLevel(int earlierLevel)
    {
        if (LevelsReason is not null)
        {
            throw new InvalidOperationException($"Levels of {Earlier.Id} do not translate into {Later.Id}.");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(earlierLevel);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(earlierLevel, Earlier.Scale.MaxLevel);
        return _levels is null ? earlierLevel : _levels[earlierLevel];
    }

    /// <summary>An earlier response cell on the later scale: a level translated, a code without level (<see cref="Responses.CellCode"/>) kept.</summary>
    /// <exception cref="InvalidOperationException">Levels are not comparable (<see cref="LevelsReason"/>).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A level outside the earlier scale.</exception>
    public sbyte TranslateCell(sbyte earlierCell) => earlierCell < 0 ? earlierCell : (sbyte)TranslateLevel(earlierCell);

    /// <summary>
    /// Every reason <paramref name="later"/> cannot be mapped onto <paramref name="earlier"/>, in the order of the
    /// lineage: no lineage, one naming another model, an earlier id the earlier model does not have, an earlier id
    /// claimed both by an entry and by the later measure of the same id, an earlier level outside the earlier scale.
    /// Empty when the mapping can be built. The later side (its ids exist, its levels fit its scale, no earlier id
    /// claimed by two entries) is already checked by <see cref="MaturityModel"/> and <see cref="ModelLineage"/>.
    /// </summary>
    public static IReadOnlyList<LineageProblem> Validate(MaturityModel earlier, MaturityModel later)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        ArgumentNullException.ThrowIfNull(later);
        var problems = new List<LineageProblem>();
        if (later.Id == earlier.Id)
        {
            return problems;
        }
        if (later.Follows is not { } lineage)
        {
            problems.Add(new(LineageSection.Model, null, null, $"le référentiel {later.Id} ne déclare pas l'édition qu'il suit (« follows ») : il ne peut pas être comparé à {earlier.Id}"));
            return problems;
        }
        if (lineage.Model != earlier.Id)
        {
            problems.Add(new(LineageSection.Model, null, null, $"« follows.model » désigne {lineage.Model}, pas {earlier.Id}, le référentiel de l'édition comparée"));
            return problems;
        }

        var earlierIndicators = earlier.Indicators.Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
        var laterIndicators = later.Indicators.Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
        var themeIds = $" (thèmes : {string.Join(", ", earlier.Themes.Select(t => t.Id))})";
        foreach (var (laterTheme, earlierThemes) in lineage.Themes)
        {
            foreach (var id in earlierThemes)
            {
                var problem = ClaimProblem(Noun.Theme, laterTheme, id, earlier, earlier.IndexOfTheme(id) >= 0 ? null : themeIds,
                    later.IndexOfTheme(id) >= 0 && !lineage.Themes.ContainsKey(id));
                problems.AddRange(problem is null ? [] : [new(LineageSection.Themes, laterTheme, id, problem)]);
            }
        }
        foreach (var (laterQuestion, id) in lineage.Questions)
        {
            var problem = ClaimProblem(Noun.Question, laterQuestion, id, earlier, earlier.IndexOfQuestion(id) >= 0 ? null : "",
                later.IndexOfQuestion(id) >= 0 && !lineage.Questions.ContainsKey(id));
            problems.AddRange(problem is null ? [] : [new(LineageSection.Questions, laterQuestion, id, problem)]);
        }
        foreach (var (laterIndicator, id) in lineage.Indicators)
        {
            var problem = ClaimProblem(Noun.Indicator, laterIndicator, id, earlier,
                earlierIndicators.Contains(id) ? null : $" (indicateurs : {string.Join(", ", earlier.Indicators.Select(i => i.Id))})",
                laterIndicators.Contains(id) && !lineage.Indicators.ContainsKey(id));
            problems.AddRange(problem is null ? [] : [new(LineageSection.Indicators, laterIndicator, id, problem)]);
        }
        foreach (var level in lineage.Levels?.Keys ?? [])
        {
            if (level > earlier.Scale.MaxLevel)
            {
                problems.Add(new(LineageSection.Levels, level.ToString(CultureInfo.InvariantCulture), null,
                    $"« follows.levels » : le niveau {level} n'existe pas dans l'échelle de {earlier.Id} (niveaux 0 à {earlier.Scale.MaxLevel})"));
            }
        }
        return problems;
    }

    private enum Noun
    {
        Theme,
        Question,
        Indicator,
    }

    /// <summary>
    /// Why an entry may not claim an earlier id, or null: the earlier model lacks it (<paramref name="unknown"/>, then
    /// the earlier ids to choose from, is not null), or the later model has a measure of the same id that no entry
    /// maps, which the rule of same ids already ties to it.
    /// </summary>
    private static string? ClaimProblem(Noun noun, string key, string id, MaturityModel earlier, string? unknown, bool claimedBySameId)
    {
        var (section, measure, taken) = noun switch
        {
            Noun.Theme => ("themes", "le thème", "repris"),
            Noun.Question => ("questions", "la question", "reprise"),
            _ => ("indicators", "l'indicateur", "repris"),
        };
        if (unknown is not null)
        {
            return $"« follows.{section} », « {key} » : {measure} « {id} » n'existe pas dans {earlier.Id}{unknown}";
        }
        return claimedBySameId
            ? $"« follows.{section} », « {key} » : {measure} « {id} » de {earlier.Id} est déjà {taken} par « {id} », qui porte le même identifiant dans ce référentiel : donnez à « {id} » sa propre correspondance, ou un autre identifiant"
            : null;
    }

    /// <summary>The lineage that applies: none between two editions of one model (every id is itself), else the later model's.</summary>
    private static ModelLineage LineageOf(MaturityModel earlier, MaturityModel later) =>
        later.Id == earlier.Id ? new ModelLineage(earlier.Id) : later.Follows!;

    private QuestionComparison ResolveQuestion(Question question, ModelLineage lineage)
    {
        var earlierId = lineage.Questions.TryGetValue(question.Id, out var mapped) ? mapped : question.Id;
        var index = Earlier.IndexOfQuestion(earlierId);
        var earlierQuestion = index >= 0 ? Earlier.Questions[index] : null;
        var reason = earlierQuestion is null ? $"nouvelle question, sans équivalent {In(Earlier)}" : LevelsReason;
        return new QuestionComparison(question, earlierQuestion, index, reason);
    }

    private ThemeComparison ResolveTheme(Theme theme, int index, ModelLineage lineage)
    {
        IReadOnlyList<string> ids = lineage.Themes.TryGetValue(theme.Id, out var mapped) ? mapped : [theme.Id];
        var earlierThemes = ids.Select(Earlier.IndexOfTheme).Where(t => t >= 0).Order().ToList();
        var union = new List<int>();
        foreach (var t in earlierThemes)
        {
            union.AddRange(Enumerable.Range(Earlier.FirstQuestionOfTheme[t], Earlier.Themes[t].Questions.Count));
        }
        var continued = Enumerable.Range(Later.FirstQuestionOfTheme[index], theme.Questions.Count).Select(q => Questions[q].EarlierIndex).ToList();
        var sameQuestions = earlierThemes.Count > 0 && continued.All(union.Contains) && union.All(continued.Contains);
        var reason = earlierThemes.Count == 0 ? $"nouveau thème, sans équivalent {In(Earlier)}" : LevelsReason;
        return new ThemeComparison(this, theme, [.. earlierThemes.Select(t => Earlier.Themes[t])], union, sameQuestions, reason);
    }

    private IndicatorComparison ResolveIndicator(Indicator indicator, ModelLineage lineage)
    {
        var earlierId = lineage.Indicators.TryGetValue(indicator.Id, out var mapped) ? mapped : indicator.Id;
        var earlierIndicator = Earlier.Indicators.FirstOrDefault(i => i.Id == earlierId);
        return new IndicatorComparison(indicator, earlierIndicator, earlierIndicator is null ? $"nouvel indicateur, sans équivalent {In(Earlier)}" : IndicatorReason(indicator, earlierIndicator));
    }

    /// <summary>Why an indicator does not measure what the earlier one did; null when it does (see the remarks of <see cref="EditionMapping"/>).</summary>
    private string? IndicatorReason(Indicator indicator, Indicator earlier)
    {
        if (LevelsReason is not null)
        {
            return LevelsReason;
        }
        if (Questions[Later.IndexOfQuestion(indicator.QuestionId)].EarlierQuestion?.Id != earlier.QuestionId)
        {
            return $"l'indicateur compte la question « {indicator.QuestionId} », qui ne continue pas la question « {earlier.QuestionId} » que comptait l'indicateur « {earlier.Id} » {In(Earlier)}";
        }
        var before = earlier.Predicate;
        var after = indicator.Predicate;
        var counted = new bool?[Later.Scale.Count];
        for (var level = 0; level <= Earlier.Scale.MaxLevel; level++)
        {
            var translated = TranslateLevel(level);
            if (before.IsSatisfiedBy(level) != after.IsSatisfiedBy(translated))
            {
                return $"« {after} » ne compte pas les mêmes réponses que « {before} » {In(Earlier)} : le niveau {level} {Of(Earlier)}{(translated == level ? "" : $", devenu le niveau {translated},")} est compté d'un côté et pas de l'autre";
            }
            counted[translated] = before.IsSatisfiedBy(level);
        }
        for (var level = 0; level <= Later.Scale.MaxLevel; level++)
        {
            if (counted[level] is not null)
            {
                continue;
            }
            bool? below = null, above = null;
            for (var l = level - 1; l >= 0 && below is null; l--)
            {
                below = counted[l];
            }
            for (var l = level + 1; l <= Later.Scale.MaxLevel && above is null; l++)
            {
                above = counted[l];
            }
            if (below is { } b && above is { } a && a != b)
            {
                return $"le niveau {level} {Of(Later)} n'a pas d'équivalent {In(Earlier)} et se trouve entre un niveau que « {after} » compte et un niveau qu'il ne compte pas : rien ne dit de quel côté le ranger";
            }
            if (after.IsSatisfiedBy(level) != (below ?? above))
            {
                return $"« {after} » {(after.IsSatisfiedBy(level) ? "compte" : "ne compte pas")} le niveau {level} {Of(Later)}, sans équivalent {In(Earlier)}, à la différence des niveaux qui l'entourent";
            }
        }
        return null;
    }

    /// <summary>The earlier measures nothing comparable continues: with their successor's reason, or as dropped.</summary>
    private List<NotComparable> EarlierNotComparable()
    {
        var themes = new string?[Earlier.Themes.Count];
        foreach (var comparison in Themes)
        {
            foreach (var theme in comparison.EarlierThemes)
            {
                themes[Earlier.IndexOfTheme(theme.Id)] = comparison.Reason ?? "";
            }
        }
        var questions = new string?[Earlier.Questions.Count];
        foreach (var comparison in Questions.Where(q => q.EarlierIndex >= 0))
        {
            questions[comparison.EarlierIndex] = comparison.Reason ?? "";
        }
        var indicators = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var comparison in Indicators.Where(i => i.EarlierIndicator is not null))
        {
            indicators[comparison.EarlierIndicator!.Id] = comparison.Reason ?? "";
        }
        // "" marks a measure compared; null one that nothing continues.
        return
        [
            .. Earlier.Themes.Select((t, i) => (t.Id, Reason: themes[i] ?? $"thème abandonné, sans équivalent {In(Later)}"))
                .Where(t => t.Reason.Length > 0).Select(t => new NotComparable(MeasureKind.Theme, t.Id, t.Reason)),
            .. Earlier.Questions.Select((q, i) => (q.Id, Reason: questions[i] ?? $"question abandonnée, sans équivalent {In(Later)}"))
                .Where(q => q.Reason.Length > 0).Select(q => new NotComparable(MeasureKind.Question, q.Id, q.Reason)),
            .. Earlier.Indicators.Select(i => (i.Id, Reason: indicators.GetValueOrDefault(i.Id) ?? $"indicateur abandonné, sans équivalent {In(Later)}"))
                .Where(i => i.Reason.Length > 0).Select(i => new NotComparable(MeasureKind.Indicator, i.Id, i.Reason)),
        ];
    }

    /// <summary>« de l'édition 2019 », or « du référentiel ID » for a model without edition.</summary>
    private static string Of(MaturityModel model) =>
        string.IsNullOrWhiteSpace(model.Edition) ? $"du référentiel {model.Id}" : $"de l'édition {model.Edition}";

    /// <summary>« dans l'édition 2019 », or « dans le référentiel ID » for a model without edition.</summary>
    private static string In(MaturityModel model) =>
        string.IsNullOrWhiteSpace(model.Edition) ? $"dans le référentiel {model.Id}" : $"dans l'édition {model.Edition}";
}

/// <summary>A later theme and the earlier themes it continues.</summary>
public sealed class ThemeComparison
{
    private readonly EditionMapping _mapping;

    internal ThemeComparison(EditionMapping mapping, Theme theme, IReadOnlyList<Theme> earlierThemes, IReadOnlyList<int> earlierQuestionIndexes, bool sameQuestions, string? reason)
    {
        _mapping = mapping;
        Theme = theme;
        EarlierThemes = earlierThemes;
        EarlierQuestionIndexes = earlierQuestionIndexes;
        SameQuestions = sameQuestions;
        Reason = reason;
    }

    /// <summary>The later theme.</summary>
    public Theme Theme { get; }

    /// <summary>The earlier themes it continues, in earlier model order: none when new, one when kept or renamed, several when merged.</summary>
    public IReadOnlyList<Theme> EarlierThemes { get; }

    /// <summary>Whether the theme is new (it continues no earlier theme).</summary>
    public bool IsNew => EarlierThemes.Count == 0;

    /// <summary>Whether the theme merges several earlier themes.</summary>
    public bool IsMerge => EarlierThemes.Count > 1;

    /// <summary>Why the theme is not compared, in French; null when it is.</summary>
    public string? Reason { get; }

    /// <summary>Whether the theme's scores are compared.</summary>
    public bool IsComparable => Reason is null;

    /// <summary>
    /// The earlier model-order indexes of every question of <see cref="EarlierThemes"/> (their union, in earlier model
    /// order): the questions its earlier score is computed on.
    /// </summary>
    public IReadOnlyList<int> EarlierQuestionIndexes { get; }

    /// <summary>
    /// Whether each question of the theme continues one of <see cref="EarlierQuestionIndexes"/> and each of those is
    /// continued by one of its questions: the theme measures the same questions in both editions.
    /// </summary>
    public bool SameQuestions { get; }

    /// <summary>
    /// Whether a respondent's earlier score (<see cref="EarlierScore"/>) is the earlier edition's published score for
    /// the single theme continued, levels as they were: the earlier results' theme figures then apply as they stand.
    /// </summary>
    public bool UsesPublishedScore => IsComparable && EarlierThemes.Count == 1 && !_mapping.TranslatesLevels;

    /// <summary>
    /// A respondent's earlier score on this theme: <see cref="Scoring"/>'s theme score over the cells of
    /// <see cref="EarlierQuestionIndexes"/> (at least half of them answered with a level), translated to the later
    /// scale and scored on it when the lineage gives levels; NaN when the theme is not scored.
    /// </summary>
    /// <param name="earlierRow">The respondent's earlier cells, one per earlier question in earlier model order.</param>
    /// <exception cref="InvalidOperationException">The theme is not comparable.</exception>
    /// <exception cref="ArgumentException">Not one cell per earlier question.</exception>
    public double EarlierScore(ReadOnlySpan<sbyte> earlierRow)
    {
        if (!IsComparable)
        {
            throw new InvalidOperationException($"Theme {Theme.Id} is not comparable: {Reason}");
        }
        if (earlierRow.Length != _mapping.Earlier.Questions.Count)
        {
            throw new ArgumentException($"Expected {_mapping.Earlier.Questions.Count} cells, got {earlierRow.Length}.", nameof(earlierRow));
        }
        var count = EarlierQuestionIndexes.Count;
        Span<sbyte> cells = count <= 256 ? stackalloc sbyte[count] : new sbyte[count];
        for (var q = 0; q < count; q++)
        {
            cells[q] = _mapping.TranslateCell(earlierRow[EarlierQuestionIndexes[q]]);
        }
        var scale = _mapping.TranslatesLevels ? _mapping.Later.Scale : _mapping.Earlier.Scale;
        return Scoring.ThemeScore(cells, scale.ScoreFactor);
    }
}

/// <summary>A later question and the earlier question it continues.</summary>
public sealed class QuestionComparison
{
    internal QuestionComparison(Question question, Question? earlierQuestion, int earlierIndex, string? reason)
    {
        Question = question;
        EarlierQuestion = earlierQuestion;
        EarlierIndex = earlierIndex;
        Reason = reason;
    }

    /// <summary>The later question.</summary>
    public Question Question { get; }

    /// <summary>The earlier question it continues; null when it is new.</summary>
    public Question? EarlierQuestion { get; }

    /// <summary>The earlier question's model-order index in the earlier model; −1 when new.</summary>
    public int EarlierIndex { get; }

    /// <summary>Why the question is not compared, in French; null when it is.</summary>
    public string? Reason { get; }

    /// <summary>Whether the question's levels are compared (through <see cref="EditionMapping.TranslateLevel"/>).</summary>
    public bool IsComparable => Reason is null;
}

/// <summary>A later key indicator and the earlier indicator it continues.</summary>
public sealed class IndicatorComparison
{
    internal IndicatorComparison(Indicator indicator, Indicator? earlierIndicator, string? reason)
    {
        Indicator = indicator;
        EarlierIndicator = earlierIndicator;
        Reason = reason;
    }

    /// <summary>The later indicator.</summary>
    public Indicator Indicator { get; }

    /// <summary>The earlier indicator it continues; null when it is new.</summary>
    public Indicator? EarlierIndicator { get; }

    /// <summary>Why the indicator is not compared, in French; null when it is.</summary>
    public string? Reason { get; }

    /// <summary>
    /// Whether the shares are compared: then the earlier indicator on an earlier answer and this one on its translation
    /// count the same respondents, and each edition's published share stands as it is.
    /// </summary>
    public bool IsComparable => Reason is null;
}
