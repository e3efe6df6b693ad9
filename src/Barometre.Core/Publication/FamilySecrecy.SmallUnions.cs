namespace Barometre.Core.Publication;

// The meet-in-the-middle search for small unions of cells that published groups would reveal.
internal sealed partial class FamilySecrecy
{
    /// <summary>
    /// Any union of cells of 1 to N − 1 respondents that is derivable, whatever its shape (say a type minus
    /// two of its published subgroups in different dimensions), or null.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Such a union only contains cells of fewer than N respondents, and at most N − 1 of them. Reduction
    /// against the basis is linear, so a union is derivable exactly when the remainders of its cells' unit
    /// vectors (their signatures) sum to zero. The search is meet-in-the-middle: every « half » of up to H
    /// small cells totalling at most N − 1 is keyed by a fixed random-looking linear form of its signature
    /// sum; two disjoint halves whose keys cancel and whose counts total at most N − 1 are checked exactly.
    /// Any union of up to 2H cells splits into two such halves. H = ⌈(N − 1)/2⌉, at most 3: the search is
    /// complete for N ≤ 7 (every union below N has at most N − 1 cells); beyond, unions of more than 6
    /// cells are left to the structured checks of <see cref="Targets"/>.
    /// </para>
    /// <para>
    /// Called only once every structured target is safe, so it rarely finds anything; what it finds is
    /// protected like any other target (a box, else <see cref="Choose"/>).
    /// </para>
    /// </remarks>
    private Target? SmallDerivableUnion(SpanContext context)
    {
        var small = new List<int>();
        for (var cell = 0; cell < _cells; cell++)
        {
            if (!context.IsKnown(cell) && CellCount(cell) < _threshold)
            {
                small.Add(cell);
            }
        }
        return SmallDerivableUnion(small, [.. small.Select(cell => context.Basis.Remainder(context.Project(CellBits.Single(cell, _words))))]);
    }

    /// <summary>
    /// The same search, given the cells of fewer than N respondents that are not published on their own and
    /// their signatures (remainders modulo the span, reduction being linear in them); <paramref name="halfCells"/>
    /// limits each half to fewer cells (1: single cells and pairs only, for a quick look).
    /// </summary>
    private Target? SmallDerivableUnion(List<int> small, ulong[][] signatures, int halfCells = 3)
    {
        if (small.Count == 0)
        {
            return null;
        }
        var form = Enumerable.Range(0, signatures[0].Length).Select(i => Mix((ulong)i) % SpanBasis.Prime).ToArray();
        var keys = signatures.Select(signature => Dot(form, signature)).ToArray();
        var counts = small.Select(CellCount).ToArray();

        var depth = Math.Min(halfCells, _threshold / 2);
        var halves = new List<(int[] Cells, int Count, ulong Key)>();
        Enumerate(0, [], 0, 0);
        var byKey = new Dictionary<ulong, List<int>>();
        for (var h = 0; h < halves.Count; h++)
        {
            if (!byKey.TryGetValue(halves[h].Key, out var list))
            {
                byKey[halves[h].Key] = list = [];
            }
            list.Add(h);
        }
        foreach (var first in halves)
        {
            if (first.Cells.Length == 0 || !byKey.TryGetValue(SpanBasis.Negate(first.Key), out var partners))
            {
                continue;
            }
            foreach (var p in partners)
            {
                var second = halves[p];
                if (first.Count + second.Count >= _threshold || first.Cells.Intersect(second.Cells).Any())
                {
                    continue;
                }
                int[] union = [.. first.Cells, .. second.Cells];
                var sum = new ulong[signatures[0].Length];
                foreach (var i in union)
                {
                    for (var j = 0; j < sum.Length; j++)
                    {
                        sum[j] = SpanBasis.Add(sum[j], signatures[i][j]);
                    }
                }
                if (Array.TrueForAll(sum, value => value == 0))
                {
                    var bits = new ulong[_words];
                    foreach (var i in union)
                    {
                        CellBits.Add(bits, small[i]);
                    }
                    return new Target(bits, -1, new HashSet<int>());
                }
            }
        }
        return null;

        void Enumerate(int from, List<int> cells, int count, ulong key)
        {
            halves.Add(([.. cells], count, key));
            if (cells.Count == depth)
            {
                return;
            }
            for (var i = from; i < small.Count; i++)
            {
                if (count + counts[i] < _threshold)
                {
                    cells.Add(i);
                    Enumerate(i + 1, cells, count + counts[i], SpanBasis.Add(key, keys[i]));
                    cells.RemoveAt(cells.Count - 1);
                }
            }
        }
    }

    private static ulong Dot(ulong[] form, ulong[] vector)
    {
        ulong sum = 0;
        for (var i = 0; i < vector.Length; i++)
        {
            if (vector[i] != 0)
            {
                sum = SpanBasis.Add(sum, SpanBasis.Multiply(form[i], vector[i]));
            }
        }
        return sum;
    }

    /// <summary>SplitMix64's finaliser: fixed, well-spread coefficients for the hashing form (no randomness).</summary>
    private static ulong Mix(ulong value)
    {
        var z = value + FibonacciHash.Multiplier;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
