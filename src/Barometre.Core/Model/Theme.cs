namespace Barometre.Core.Model;

/// <summary>A theme of a maturity model: a titled, weighted group of questions.</summary>
public sealed record Theme
{
    /// <summary>Creates a theme.</summary>
    /// <exception cref="ArgumentException">
    /// An empty id or title, a weight that is not a positive finite number, no question, or a question
    /// whose id is not <c>&lt;theme id&gt;.&lt;name&gt;</c>.
    /// </exception>
    public Theme(string id, string title, double weight, IEnumerable<Question> questions)
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
