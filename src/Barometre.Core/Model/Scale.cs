namespace Barometre.Core.Model;

/// <summary>One level of a maturity scale, for example 0 = « Sujet non abordé ».</summary>
/// <param name="Level">The level's value, 0 for the lowest.</param>
/// <param name="Label">The French label a respondent reads.</param>
public sealed record ScaleLevel(int Level, string Label);

/// <summary>
/// The ordered answer scale of a maturity model: levels 0 to <see cref="MaxLevel"/>, each with a label.
/// </summary>
/// <remarks>
/// Levels are consecutive integers starting at 0, so a level is also an index into per-level arrays
/// (counts, shares). Scores are rescaled to 0–100 with <see cref="ScoreFactor"/> = 100 / (L − 1).
/// </remarks>
public sealed class Scale
{
    /// <summary>The smallest number of levels a scale may have.</summary>
    public const int MinLevels = 2;

    /// <summary>The largest number of levels a scale may have (a cell holds one digit).</summary>
    public const int MaxLevels = 10;

    /// <summary>Creates a scale from its levels, which must be 0, 1, …, L − 1 in order, each labelled.</summary>
    /// <exception cref="ArgumentException">Fewer than 2 or more than 10 levels, levels out of order, or an empty label.</exception>
    public Scale(IEnumerable<ScaleLevel> levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        Levels = [.. levels];
        if (Levels.Count is < MinLevels or > MaxLevels)
        {
            throw new ArgumentException($"A scale has {MinLevels} to {MaxLevels} levels, not {Levels.Count}.", nameof(levels));
        }
        for (var i = 0; i < Levels.Count; i++)
        {
            if (Levels[i].Level != i)
            {
                throw new ArgumentException($"Scale levels must be 0..{Levels.Count - 1} in order; position {i} holds {Levels[i].Level}.", nameof(levels));
            }
            if (string.IsNullOrWhiteSpace(Levels[i].Label))
            {
                throw new ArgumentException($"Scale level {i} has no label.", nameof(levels));
            }
        }
    }

    /// <summary>The levels, in increasing order.</summary>
    public IReadOnlyList<ScaleLevel> Levels { get; }

    /// <summary>Number of levels L.</summary>
    public int Count => Levels.Count;

    /// <summary>The highest level, L − 1.</summary>
    public int MaxLevel => Levels.Count - 1;

    /// <summary>Multiplier from a mean level to a 0–100 score: 100 / (L − 1), 25 on a 5-level scale.</summary>
    public double ScoreFactor => 100.0 / MaxLevel;

    /// <summary>The label of a level.</summary>
    public string LabelOf(int level) => Levels[level].Label;

    /// <summary>
    /// The 2019 barometer's scale, used when a model does not define its own: from « Sujet non abordé »
    /// to « Mise en œuvre complète et effective ».
    /// </summary>
    public static Scale Default { get; } = new(
    [
        new ScaleLevel(0, "Sujet non abordé"),
        new ScaleLevel(1, "Réflexion engagée, sans orientation formalisée"),
        new ScaleLevel(2, "Orientations formalisées"),
        new ScaleLevel(3, "Mise en œuvre engagée"),
        new ScaleLevel(4, "Mise en œuvre complète et effective"),
    ]);
}
