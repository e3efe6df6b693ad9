namespace Barometre.Core.Responses;

/// <summary>
/// The encoding of one cell of a response matrix: a level (0 and above) or a reason there is none.
/// </summary>
/// <remarks>
/// Stored as <see cref="sbyte"/> so that a 40,000 × 200 panel takes 8 MB. Every negative code means
/// « no level »: it is excluded from every denominator.
/// </remarks>
public static class CellCode
{
    /// <summary>No answer given (empty cell).</summary>
    public const sbyte Blank = -1;

    /// <summary>« Ne sait pas ».</summary>
    public const sbyte DontKnow = -2;

    /// <summary>« Non concerné ».</summary>
    public const sbyte NotConcerned = -3;

    /// <summary>Whether a cell holds a level.</summary>
    public static bool IsLevel(sbyte cell) => cell >= 0;
}
