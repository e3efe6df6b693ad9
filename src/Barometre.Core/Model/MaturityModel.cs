namespace Barometre.Core.Model;

/// <summary>
/// A maturity model (référentiel): its scale, themes with their questions, and key indicators.
/// One model is one edition's questionnaire; results name it by <see cref="Id"/>.
/// </summary>
/// <remarks>
/// Immutable and validated on construction. Question order is the model order: themes in order, then
/// each theme's questions in order. Response matrices and results follow that order.
/// </remarks>
public sealed class MaturityModel
{
    private readonly Dictionary<string, int> _questionIndex;
    private readonly Dictionary<string, int> _themeIndex;

    /// <summary>Creates a model.</summary>
    /// <param name="id">The model id, for example <c>maturite-numerique-2019</c>.</param>
    /// <param name="title">The French title (defaults to the id when empty).</param>
    /// <param name="scale">The answer scale; <see cref="Scale.Default"/> when null.</param>
    /// <param name="themes">The themes, at least one.</param>
    /// <param name="indicators">The key indicators.</param>
    /// <param name="edition">The edition (for example « 2019 »), or null.</param>
    /// <param name="description">A French description, or null.</param>
    /// <param name="follows">The earlier edition this model follows and how its ids map onto it, or null.</param>
    /// <exception cref="ArgumentException">
    /// An empty id, no theme, a duplicated theme, question or indicator id, an indicator on an unknown
    /// question, an indicator threshold outside the scale, or a lineage that follows this model itself, maps an
    /// id this model does not have, or translates a level into one outside the scale.
    /// </exception>
    public MaturityModel(
        string id,
        string? title,
        Scale? scale,
        IEnumerable<Theme> themes,
        IEnumerable<Indicator> indicators,
        string? edition = null,
        string? description = null,
        ModelLineage? follows = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(themes);
        ArgumentNullException.ThrowIfNull(indicators);
        Id = id;
        Title = string.IsNullOrWhiteSpace(title) ? id : title;
        Edition = edition;
        Description = description;
        Scale = scale ?? Scale.Default;
        Themes = [.. themes];
        Indicators = [.. indicators];
        if (Themes.Count == 0)
        {
            throw new ArgumentException($"Model {id} has no theme.", nameof(themes));
        }

        _themeIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        _questionIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var questions = new List<Question>();
        var themeOfQuestion = new List<int>();
        var firstQuestion = new int[Themes.Count];
        for (var t = 0; t < Themes.Count; t++)
        {
            if (!_themeIndex.TryAdd(Themes[t].Id, t))
            {
                throw new ArgumentException($"Model {id}: duplicated theme id {Themes[t].Id}.", nameof(themes));
            }
            firstQuestion[t] = questions.Count;
            foreach (var question in Themes[t].Questions)
            {
                if (!_questionIndex.TryAdd(question.Id, questions.Count))
                {
                    throw new ArgumentException($"Model {id}: duplicated question id {question.Id}.", nameof(themes));
                }
                questions.Add(question);
                themeOfQuestion.Add(t);
            }
        }
        Questions = questions;
        ThemeOfQuestion = themeOfQuestion;
        FirstQuestionOfTheme = firstQuestion;

        var indicatorIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var indicator in Indicators)
        {
            if (!indicatorIds.Add(indicator.Id))
            {
                throw new ArgumentException($"Model {id}: duplicated indicator id {indicator.Id}.", nameof(indicators));
            }
            if (!_questionIndex.ContainsKey(indicator.QuestionId))
            {
                throw new ArgumentException($"Model {id}: indicator {indicator.Id} counts unknown question {indicator.QuestionId}.", nameof(indicators));
            }
            if (indicator.Predicate.Threshold > Scale.MaxLevel)
            {
                throw new ArgumentException($"Model {id}: indicator {indicator.Id} compares with level {indicator.Predicate.Threshold}, above the scale's {Scale.MaxLevel}.", nameof(indicators));
            }
        }
        if (follows is not null)
        {
            CheckLineage(follows, indicatorIds);
        }
        Follows = follows;
    }

    /// <summary>The model id.</summary>
    public string Id { get; }

    /// <summary>The French title.</summary>
    public string Title { get; }

    /// <summary>The edition, or null.</summary>
    public string? Edition { get; }

    /// <summary>A French description, or null.</summary>
    public string? Description { get; }

    /// <summary>The answer scale.</summary>
    public Scale Scale { get; }

    /// <summary>The themes, in model order.</summary>
    public IReadOnlyList<Theme> Themes { get; }

    /// <summary>The key indicators, in model order.</summary>
    public IReadOnlyList<Indicator> Indicators { get; }

    /// <summary>Every question, in model order (theme by theme).</summary>
    public IReadOnlyList<Question> Questions { get; }

    /// <summary>For each question (model order), the index of its theme.</summary>
    public IReadOnlyList<int> ThemeOfQuestion { get; }

    /// <summary>For each theme, the model-order index of its first question.</summary>
    public IReadOnlyList<int> FirstQuestionOfTheme { get; }

    /// <summary>The earlier edition this model follows and how its ids map onto it; null when it follows none.</summary>
    public ModelLineage? Follows { get; }

    /// <summary>The model-order index of a question id, or −1.</summary>
    public int IndexOfQuestion(string questionId) => _questionIndex.GetValueOrDefault(questionId, -1);

    /// <summary>The index of a theme id, or −1.</summary>
    public int IndexOfTheme(string themeId) => _themeIndex.GetValueOrDefault(themeId, -1);

    /// <summary>The later side of a lineage: its keys are ids of this model and its levels fall in this scale.</summary>
    private void CheckLineage(ModelLineage follows, HashSet<string> indicatorIds)
    {
        if (follows.Model == Id)
        {
            throw new ArgumentException($"Model {Id} follows itself.", nameof(follows));
        }
        var unknown = follows.Themes.Keys.FirstOrDefault(theme => !_themeIndex.ContainsKey(theme))
            ?? follows.Questions.Keys.FirstOrDefault(question => !_questionIndex.ContainsKey(question))
            ?? follows.Indicators.Keys.FirstOrDefault(indicator => !indicatorIds.Contains(indicator));
        if (unknown is not null)
        {
            throw new ArgumentException($"Model {Id}: its lineage maps {unknown}, which it does not have.", nameof(follows));
        }
        foreach (var (earlier, later) in follows.Levels ?? new Dictionary<int, int>())
        {
            if (later > Scale.MaxLevel)
            {
                throw new ArgumentException($"Model {Id}: its lineage translates level {earlier} into {later}, above the scale's {Scale.MaxLevel}.", nameof(follows));
            }
        }
    }
}
