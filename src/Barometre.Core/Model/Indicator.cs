namespace Barometre.Core.Model;

/// <summary>
/// A key indicator: the share of respondents whose answer to one question satisfies a predicate,
/// published as a French sentence such as « 51 % des collectivités considèrent le numérique comme un levier de transformation ».
/// </summary>
public sealed record Indicator
{
    /// <summary>The placeholder that the formatted percentage replaces in <see cref="Statement"/>.</summary>
    public const string ValuePlaceholder = "{value}";

    /// <summary>Creates an indicator.</summary>
    /// <param name="id">The indicator id.</param>
    /// <param name="questionId">The question it counts.</param>
    /// <param name="predicate">The condition counted among answered levels.</param>
    /// <param name="statement">French sentence with <c>{value}</c> where the percentage goes; may be empty.</param>
    /// <param name="title">A short French heading (for example « Médiation numérique »); null when none.</param>
    /// <exception cref="ArgumentException">An empty id or question id.</exception>
    public Indicator(string id, string questionId, Predicate predicate, string statement, string? title = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(questionId);
        Id = id;
        QuestionId = questionId;
        Predicate = predicate;
        Statement = statement ?? "";
        Title = title;
    }

    /// <summary>The indicator id.</summary>
    public string Id { get; }

    /// <summary>The id of the question counted.</summary>
    public string QuestionId { get; }

    /// <summary>The condition counted.</summary>
    public Predicate Predicate { get; }

    /// <summary>The statement template, with <c>{value}</c>.</summary>
    public string Statement { get; }

    /// <summary>A short heading, or null.</summary>
    public string? Title { get; }

    /// <summary>
    /// The statement with its value filled in as a French percentage (« 51 % »), or "" when the
    /// template is empty or the value undefined (nobody answered).
    /// </summary>
    public string FormatStatement(double? value) =>
        Statement.Length == 0 || value is null
            ? ""
            : Statement.Replace(ValuePlaceholder, FrenchFormat.Percent(value.Value), StringComparison.Ordinal);
}
