namespace Barometre.Core.Model;

/// <summary>A theme of a maturity model: a titled, weighted group of questions.</summary>
public sealed record Theme
{
    /// <summary>Creates a theme.</summary>
    /// <exception cref="ArgumentException">
    /// An empty id or title, a weight that is not a positive finite number, no question, or a question
    /// whose id is not <c>&lt;theme id&gt;.&lt;name&gt;</c>.
    /// </exception>
    /// <param name="id">The theme id.</param>
    /// <param name="title">The French title.</param>
    /// <param name="weight">The weight in the global index, a positive number.</param>
    /// <param name="questions">The questions, at least one.</param>
    /// <param name="shortTitle">A short French label for charts (« Stratégie »); the title when null.</param>
    /// <param name="description">A French description, or null.</param>
    public Theme(string id, string title, double weight, IEnumerable<Question> questions, string? shortTitle = null, string? description = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentNullException.ThrowIfNull(questions);
        if (!(weight > 0) || double.IsInfinity(weight))
        {
            throw new ArgumentException($"Theme {id}: the weight must be a positive number, not {weight}.", nameof(weight));
        }
        Id = id;
        Title = title;
        ShortTitle = string.IsNullOrWhiteSpace(shortTitle) ? title : shortTitle;
        Description = description;
        Weight = weight;
        Questions = [.. questions];
        if (Questions.Count == 0)
        {
            throw new ArgumentException($"Theme {id} has no question.", nameof(questions));
        }
        foreach (var question in Questions)
        {
            if (!IsQuestionIdOf(id, question.Id))
            {
                throw new ArgumentException($"Question {question.Id} does not belong to theme {id}: ids read '{id}.<name>'.", nameof(questions));
            }
        }
    }

    /// <summary>The theme id, for example <c>strategie</c>.</summary>
    public string Id { get; }

    /// <summary>The French title.</summary>
    public string Title { get; }

    /// <summary>A short French label for charts; the title when the model gives none.</summary>
    public string ShortTitle { get; }

    /// <summary>A French description of what the theme covers, or null.</summary>
    public string? Description { get; }

    /// <summary>The weight of the theme in the global index (default 1).</summary>
    public double Weight { get; }

    /// <summary>The theme's questions, in model order.</summary>
    public IReadOnlyList<Question> Questions { get; }

    /// <summary>Whether a question id has the form <c>&lt;themeId&gt;.&lt;name&gt;</c>.</summary>
    public static bool IsQuestionIdOf(string themeId, string questionId) =>
        questionId.Length > themeId.Length + 1
        && questionId.StartsWith(themeId, StringComparison.Ordinal)
        && questionId[themeId.Length] == '.';
}
