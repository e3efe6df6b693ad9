namespace Barometre.Core.Model;

/// <summary>One question of a maturity model, answered on the model's scale.</summary>
/// <remarks>
/// Ids are <c>&lt;theme&gt;.&lt;name&gt;</c> (for example <c>strategie.levier</c>) and are a contract:
/// response files and other tools key their data by them.
/// </remarks>
public sealed record Question
{
    /// <summary>Creates a question.</summary>
    /// <param name="id">The question id, <c>&lt;theme&gt;.&lt;name&gt;</c>.</param>
    /// <param name="label">What is assessed, in French.</param>
    /// <param name="help">What each level means for this question (index = level); empty when the model gives none.</param>
    /// <exception cref="ArgumentException">An empty id or label.</exception>
    public Question(string id, string label, IReadOnlyList<string>? help = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        Id = id;
        Label = label;
        Help = help ?? [];
    }

    /// <summary>The question id.</summary>
    public string Id { get; }

    /// <summary>The French label.</summary>
    public string Label { get; }

    /// <summary>The meaning of each level for this question, indexed by level; empty when none was given.</summary>
    public IReadOnlyList<string> Help { get; }

    /// <summary>The help text of a level, or null when the model has none for it.</summary>
    public string? HelpFor(int level) => level < Help.Count && !string.IsNullOrWhiteSpace(Help[level]) ? Help[level] : null;
}
