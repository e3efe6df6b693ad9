using System.Globalization;

namespace Barometre.Core.Model;

/// <summary>How a key indicator compares a level with its threshold.</summary>
public enum Comparison
{
    /// <summary>Level greater than or equal to the threshold (<c>&gt;= k</c>).</summary>
    AtLeast,

    /// <summary>Level lower than or equal to the threshold (<c>&lt;= k</c>).</summary>
    AtMost,

    /// <summary>Level equal to the threshold (<c>= k</c>).</summary>
    Exactly,
}

/// <summary>
/// The condition a key indicator counts, such as <c>&gt;= 3</c>: « at least implementation started ».
/// </summary>
/// <remarks>
/// Written <c>&gt;= k</c>, <c>&lt;= k</c> or <c>= k</c> with spaces optional; <see cref="ToString"/>
/// gives the canonical form with one space (<c>"&gt;= 3"</c>), which is what results report.
/// </remarks>
public readonly record struct Predicate
{
    /// <summary>Creates a predicate.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative threshold.</exception>
    public Predicate(Comparison comparison, int threshold)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threshold);
        Comparison = comparison;
        Threshold = threshold;
    }

    /// <summary>The comparison.</summary>
    public Comparison Comparison { get; }

    /// <summary>The level compared with.</summary>
    public int Threshold { get; }

    /// <summary>Whether an answered level satisfies the predicate.</summary>
    public bool IsSatisfiedBy(int level) => Comparison switch
    {
        Comparison.AtLeast => level >= Threshold,
        Comparison.AtMost => level <= Threshold,
        _ => level == Threshold,
    };

    /// <summary>Parses <c>&gt;= k</c>, <c>&lt;= k</c> or <c>= k</c> (k a non-negative integer, blanks allowed).</summary>
    /// <returns>false when the text is not such a predicate.</returns>
    public static bool TryParse(string? text, out Predicate predicate)
    {
        predicate = default;
        var s = (text ?? "").AsSpan().Trim();
        Comparison comparison;
        if (s.StartsWith(">="))
        {
            comparison = Comparison.AtLeast;
            s = s[2..];
        }
        else if (s.StartsWith("<="))
        {
            comparison = Comparison.AtMost;
            s = s[2..];
        }
        else if (s.StartsWith("="))
        {
            comparison = Comparison.Exactly;
            s = s[1..];
        }
        else
        {
            return false;
        }
        s = s.Trim();
        if (s.IsEmpty || s.Length > 2 || s.ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }
        predicate = new Predicate(comparison, int.Parse(s, CultureInfo.InvariantCulture));
        return true;
    }

    /// <summary>The canonical text, for example <c>"&gt;= 3"</c>.</summary>
    public override string ToString()
    {
        var op = Comparison switch
        {
            Comparison.AtLeast => ">=",
            Comparison.AtMost => "<=",
            _ => "=",
        };
        return string.Create(CultureInfo.InvariantCulture, $"{op} {Threshold}");
    }
}
