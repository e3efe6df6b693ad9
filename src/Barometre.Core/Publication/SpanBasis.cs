namespace Barometre.Core.Publication;

/// <summary>
/// The linear span of a list of 0/1 vectors, built by Gaussian elimination in exact arithmetic, that also
/// says how a vector of the span is made of the listed vectors and which listed vectors cannot be left out
/// without shrinking it.
/// </summary>
/// <remarks>
/// <para>
/// Vectors are added in order. Each one is reduced against the rows kept so far; if something is left it
/// is independent of its predecessors: it becomes a <em>member</em> of the basis and its remainder, scaled
/// so that its pivot (first nonzero entry) is 1, a row. Every row is zero at the pivots of the rows before
/// it, so reducing against the rows in order leaves a vector zero at every pivot. Reduction is linear: the
/// remainder of a sum is the sum of the remainders, which <see cref="Remainder"/> exposes. Along with each
/// row we keep its expression in the members, so that a vector of the span is also expressed in the members.
/// </para>
/// <para>
/// A vector left out (dependent) is a combination of the members; each member with a nonzero coefficient
/// in it is <em>exchangeable</em>: dropping that member from the list would not shrink the span, since the
/// dependent vector would stand in for it. Dropping a member that no dependent vector uses removes exactly
/// its direction: a vector of the span stays in the smaller span if and only if its coefficient on that
/// member is zero.
/// </para>
/// <para>
/// Arithmetic is modulo the Mersenne prime p = 2⁶¹ − 1: exact, with no tolerance to choose. It agrees with
/// rational arithmetic unless p divides a nonzero minor of the 0/1 matrix, which Hadamard's bound rules out
/// for ranks up to 36 ((r + 1)^((r + 1)/2) / 2^r &lt; p) and makes a one-in-10¹⁸ coincidence beyond. Even
/// then the error would mostly go the safe way (a rank lost modulo p makes more vectors look derivable,
/// hence more suppression).
/// </para>
/// </remarks>
internal sealed class SpanBasis
{
    /// <summary>The modulus, 2⁶¹ − 1.</summary>
    public const ulong Prime = (1UL << 61) - 1;

    private readonly int _dimension;
    private readonly bool _tracked;
    private readonly List<ulong[]> _rows = [];
    private readonly List<int> _pivots = [];
    private readonly List<ulong[]> _expressions = [];
    private readonly List<int> _members = [];
    private readonly List<bool> _exchangeable = [];

    /// <param name="dimension">The length of the vectors.</param>
    /// <param name="tracked">
    /// Whether to keep the expressions in the members (<see cref="Express(ReadOnlySpan{ulong})"/>,
    /// <see cref="IsExchangeable"/>), which costs rank² per vector added.
    /// </param>
    public SpanBasis(int dimension, bool tracked)
    {
        _dimension = dimension;
        _tracked = tracked;
    }

    /// <summary>A copy to add more vectors to, leaving this one as it is (untracked bases only).</summary>
    /// <remarks>Rows are never changed once kept, so the copy shares them: it costs a list of references.</remarks>
    public SpanBasis Clone()
    {
        if (_tracked)
        {
            throw new InvalidOperationException("Only an untracked basis can be copied.");
        }
        var copy = new SpanBasis(_dimension, tracked: false);
        copy._rows.AddRange(_rows);
        copy._pivots.AddRange(_pivots);
        copy._members.AddRange(_members);
        copy._exchangeable.AddRange(_exchangeable);
        return copy;
    }

    /// <summary>The keys of the independent vectors, in the order they were added.</summary>
    public IReadOnlyList<int> Members => _members;

    /// <summary>Adds a vector under a key; returns whether it was independent of those before it.</summary>
    public bool Add(int key, ReadOnlySpan<ulong> vector)
    {
        var rest = vector.ToArray();
        var coefficients = Reduce(rest);
        var pivot = Array.FindIndex(rest, value => value != 0);
        if (pivot < 0)
        {
            if (!_tracked)
            {
                return false;
            }
            // Dependent: every member it is made of could be dropped without shrinking the span.
            var expression = Express(coefficients);
            for (var m = 0; m < _members.Count; m++)
            {
                if (expression[m] != 0)
                {
                    _exchangeable[m] = true;
                }
            }
            return false;
        }

        var inverse = Inverse(rest[pivot]);
        for (var i = 0; i < rest.Length; i++)
        {
            rest[i] = Multiply(rest[i], inverse);
        }
        if (_tracked)
        {
            // The new row is (vector − Σ c_r row_r) / scale, and the vector is the new member itself.
            var combination = Express(coefficients);
            var newExpression = new ulong[_dimension];
            for (var m = 0; m < _members.Count; m++)
            {
                newExpression[m] = Multiply(Negate(combination[m]), inverse);
            }
            newExpression[_members.Count] = inverse;
            _expressions.Add(newExpression);
        }
        _rows.Add(rest);
        _pivots.Add(pivot);
        _members.Add(key);
        _exchangeable.Add(false);
        return true;
    }

    /// <summary>Whether a vector is in the span.</summary>
    public bool Contains(ReadOnlySpan<ulong> vector) => Array.TrueForAll(Remainder(vector), value => value == 0);

    /// <summary>
    /// What is left of a vector once reduced against the rows: zero exactly when the vector is in the span,
    /// and linear in the vector.
    /// </summary>
    public ulong[] Remainder(ReadOnlySpan<ulong> vector)
    {
        var rest = vector.ToArray();
        Reduce(rest);
        return rest;
    }

    /// <summary>
    /// The coefficients of a vector of the span on the members (index = position in <see cref="Members"/>),
    /// or null when the vector is not in the span.
    /// </summary>
    public ulong[]? Express(ReadOnlySpan<ulong> vector)
    {
        if (!_tracked)
        {
            throw new InvalidOperationException("Expressions need a tracked basis.");
        }
        var rest = vector.ToArray();
        var coefficients = Reduce(rest);
        return Array.TrueForAll(rest, value => value == 0) ? Express(coefficients) : null;
    }

    /// <summary>Whether the member at this position could be dropped without shrinking the span (tracked bases only).</summary>
    public bool IsExchangeable(int member) => _exchangeable[member];

    public static ulong Add(ulong a, ulong b)
    {
        var sum = a + b;
        return sum >= Prime ? sum - Prime : sum;
    }

    public static ulong Negate(ulong a) => a == 0 ? 0 : Prime - a;

    public static ulong Multiply(ulong a, ulong b)
    {
        var high = Math.BigMul(a, b, out var low);
        // a·b = high·2⁶⁴ + low = (high·8 + low >> 61)·2⁶¹ + (low mod 2⁶¹), and 2⁶¹ ≡ 1.
        var folded = ((high << 3) | (low >> 61)) + (low & Prime);
        while (folded >= Prime)
        {
            folded -= Prime;
        }
        return folded;
    }

    public static ulong Inverse(ulong value)
    {
        // Fermat: value^(p − 2).
        ulong result = 1;
        var exponent = Prime - 2;
        while (exponent > 0)
        {
            if ((exponent & 1) == 1)
            {
                result = Multiply(result, value);
            }
            value = Multiply(value, value);
            exponent >>= 1;
        }
        return result;
    }

    private ulong[] Reduce(ulong[] rest)
    {
        var coefficients = new ulong[_rows.Count];
        for (var r = 0; r < _rows.Count; r++)
        {
            var c = rest[_pivots[r]];
            if (c == 0)
            {
                continue;
            }
            coefficients[r] = c;
            var minus = Negate(c);
            var row = _rows[r];
            for (var i = 0; i < rest.Length; i++)
            {
                if (row[i] != 0)
                {
                    rest[i] = Add(rest[i], Multiply(minus, row[i]));
                }
            }
        }
        return coefficients;
    }

    /// <summary>Σ coefficients[r] × expression of row r, on the members.</summary>
    private ulong[] Express(ulong[] coefficients)
    {
        var result = new ulong[_dimension];
        for (var r = 0; r < coefficients.Length; r++)
        {
            var c = coefficients[r];
            if (c == 0)
            {
                continue;
            }
            var expression = _expressions[r];
            for (var m = 0; m <= r; m++)
            {
                if (expression[m] != 0)
                {
                    result[m] = Add(result[m], Multiply(c, expression[m]));
                }
            }
        }
        return result;
    }
}
