using System.Numerics;

namespace Barometre.Core.Publication;

/// <summary>What may be shown of one figure for one node of the lattice.</summary>
internal enum GroupStatus : byte
{
    /// <summary>Nobody: nothing to show, nothing secret.</summary>
    Empty,

    /// <summary>May be shown.</summary>
    Published,

    /// <summary>Must be hidden.</summary>
    Suppressed,

    /// <summary>A virtual node (it fixes « non renseigné »): never offered.</summary>
    NotOffered,
}

/// <summary>
/// The suppression of one family of groups: the groups S ∩ P of every node S of the lattice for one figure
/// population P, given as respondent counts per cell. See <see cref="SecrecyPlan"/> for the rules; this
/// class implements them.
/// </summary>
/// <remarks>
/// <para>
/// A group is handled as the set of its nonempty cells (a bit vector). Nodes with the same set show the
/// same figure, so they share one status: deciding per node could publish through one node what is hidden
/// for another. Only the counts per cell matter, so families with the same counts get the same decisions.
/// </para>
/// <para>
/// « Derivable » means: the group's 0/1 vector over the cells is a linear combination of the vectors of the
/// published groups. That is what an attacker can compute from published figures that are sums over
/// respondents (counts, and the sums behind means), assuming they know who belongs to which group. Cells
/// whose own finest group is published (singletons) are in the span and are projected out before the
/// elimination (x is in the span iff its projection on the other cells is in the span of the projections,
/// since the span contains the unit vector of every such cell); this keeps the elimination small on large
/// panels, where most cells are published.
/// </para>
/// </remarks>
internal sealed class FamilySecrecy
{
    private readonly FilterLattice _lattice;
    private readonly int _threshold;
    private readonly int _words;
    private readonly int _cells;
    private readonly int[] _setOfNode;
    private readonly List<ulong[]> _bits = [];
    private readonly List<int> _count = [];
    private readonly List<List<int>> _nodes = [];
    private readonly List<bool> _real = [];
    private readonly int[] _singleton;
    private readonly int[] _local;
    private readonly int[] _global;
    private readonly GroupStatus[] _status;

    private FamilySecrecy(FilterLattice lattice, ReadOnlySpan<int> cellCounts, int threshold)
    {
        _lattice = lattice;
        _threshold = threshold;
        var local = new int[lattice.CellCount];
        var counts = new List<int>();
        for (var cell = 0; cell < lattice.CellCount; cell++)
        {
            local[cell] = cellCounts[cell] > 0 ? counts.Count : -1;
            if (cellCounts[cell] > 0)
            {
                counts.Add(cellCounts[cell]);
            }
        }
        _cells = counts.Count;
        _words = (_cells + 63) / 64;
        _local = local;
        _global = [.. Enumerable.Range(0, lattice.CellCount).Where(cell => local[cell] >= 0)];

        _setOfNode = new int[lattice.NodeCount];
        var index = new Dictionary<BitsKey, int>();
        for (var node = 0; node < lattice.NodeCount; node++)
        {
            var bits = new ulong[_words];
            var count = 0;
            foreach (var cell in lattice.Cells(node))
            {
                var l = local[cell];
                if (l >= 0)
                {
                    bits[l >> 6] |= 1UL << l;
                    count += counts[l];
                }
            }
            if (!index.TryGetValue(new BitsKey(bits), out var set))
            {
                // Sets are numbered in the order of their first node: set order is lattice order.
                set = _bits.Count;
                index.Add(new BitsKey(bits), set);
                _bits.Add(bits);
                _count.Add(count);
                _nodes.Add([]);
                _real.Add(false);
            }
            _setOfNode[node] = set;
            _nodes[set].Add(node);
            _real[set] |= lattice.IsReal(node);
        }

        // Every nonempty cell is the set of its finest node, so every cell has a singleton set.
        _singleton = new int[_cells];
        for (var set = 0; set < _bits.Count; set++)
        {
            if (PopCount(_bits[set]) == 1)
            {
                _singleton[FirstBit(_bits[set])] = set;
            }
        }
        _status = new GroupStatus[_bits.Count];
    }

    /// <summary>
    /// The status of every node of the lattice for a family given by its counts per cell.
    /// </summary>
    /// <param name="lattice">The lattice.</param>
    /// <param name="cellCounts">Respondents of the family's population per cell.</param>
    /// <param name="threshold">The secrecy threshold N.</param>
    /// <param name="forced">Per node, whether it must be hidden whatever its counts (the filters suppressed as a whole), or null.</param>
    public static GroupStatus[] Decide(FilterLattice lattice, ReadOnlySpan<int> cellCounts, int threshold, IReadOnlyList<bool>? forced)
    {
        var family = new FamilySecrecy(lattice, cellCounts, threshold);
        family.Run(forced);
        var result = new GroupStatus[lattice.NodeCount];
        for (var node = 0; node < lattice.NodeCount; node++)
        {
            result[node] = lattice.IsReal(node) ? family._status[family._setOfNode[node]] : GroupStatus.NotOffered;
        }
        return result;
    }

    private int Panel => _setOfNode[0];

    private void Run(IReadOnlyList<bool>? forced)
    {
        var sets = _bits.Count;
        for (var set = 0; set < sets; set++)
        {
            _status[set] = _count[set] == 0 ? GroupStatus.Empty : _real[set] ? GroupStatus.Published : GroupStatus.NotOffered;
        }
        var panelCount = _count[Panel];
        if (panelCount == 0)
        {
            return;
        }
        if (panelCount < _threshold)
        {
            // The whole population is below N: every nonempty group is a part of a secret group.
            for (var set = 0; set < sets; set++)
            {
                if (_status[set] == GroupStatus.Published)
                {
                    _status[set] = GroupStatus.Suppressed;
                }
            }
            return;
        }

        // Rule 1, primary: 0 < |S ∩ P| < N. An empty group has nothing to show and is not a secret.
        for (var set = 0; set < sets; set++)
        {
            if (_status[set] == GroupStatus.Published && _count[set] < _threshold)
            {
                _status[set] = GroupStatus.Suppressed;
            }
        }

        // Filters hidden as a whole hide this figure too. The whole panel's set stays published: a node whose
        // group here is the whole population shows the same figure as the panel, which is not secret.
        if (forced is not null)
        {
            for (var node = 0; node < _lattice.NodeCount; node++)
            {
                var set = _setOfNode[node];
                if (forced[node] && set != Panel && _status[set] == GroupStatus.Published)
                {
                    _status[set] = GroupStatus.Suppressed;
                }
            }
        }

        Differences();
        Sums();
    }

    /// <summary>
    /// Rule 2: for published groups S2 ⊂ S1, 0 &lt; |S1| − |S2| &lt; N suppresses S2, since S1 − S2 would
    /// describe fewer than N respondents. Containment is tested on the sets themselves, which covers every
    /// ancestor in the lattice and also groups that happen to be nested (all the métropoles of the panel in
    /// one region). Groups are visited by decreasing size, so that every possible S1 of a group (strictly
    /// larger) is final when the group is decided: suppressing S2 only removes pairs, never creates one.
    /// </summary>
    private void Differences()
    {
        var order = Enumerable.Range(0, _bits.Count)
            .Where(set => _status[set] == GroupStatus.Published)
            .OrderByDescending(set => _count[set])
            .ThenBy(set => set)
            .ToArray();
        for (var i = 0; i < order.Length; i++)
        {
            var small = order[i];
            for (var j = 0; j < i; j++)
            {
                var large = order[j];
                var difference = _count[large] - _count[small];
                if (_status[large] == GroupStatus.Published
                    && difference > 0 && difference < _threshold
                    && IsSubset(_bits[small], _bits[large]))
                {
                    _status[small] = GroupStatus.Suppressed;
                    break;
                }
            }
        }
    }

    /// <summary>
    /// Rule 3: no protected group may be a linear combination of published groups. Protected are: every
    /// suppressed group (whatever its size: a suppression that can be computed protects nothing); every
    /// virtual group of fewer than N (the respondents without a region, say); the difference of any two
    /// nested groups when it holds fewer than N; for every group and dimension, what is left of the group
    /// once its published children along that dimension are taken away, when fewer than N (the classic
    /// « parent − Σ published siblings », which also catches two suppressed siblings whose union is below N);
    /// and, last, any union of cells of fewer than N respondents (<see cref="SmallDerivableUnion"/>).
    /// </summary>
    /// <remarks>
    /// <para>
    /// While one is derivable, more published groups are suppressed: the cheapest <see cref="Hypercube"/>
    /// pattern, which makes it underivable at once; when no pattern fits (empty cells in the way), one group
    /// chosen by <see cref="Choose"/>, the issue's « smallest sibling, failing that the smallest intersecting
    /// group ».
    /// </para>
    /// <para>
    /// Suppressing only shrinks the span, so a group found not derivable stays so: it is checked once. Each
    /// round suppresses at least one more group and the whole panel is never chosen, so the loop ends; it can
    /// always succeed since, with the panel alone published, only the panel itself is derivable.
    /// </para>
    /// </remarks>
    private void Sums()
    {
        var differences = SmallDifferences();
        var safe = new HashSet<BitsKey>();
        while (true)
        {
            var context = new SpanContext(this, excludedSingleton: -1);
            Target? found = null;
            foreach (var target in Targets(differences))
            {
                var key = new BitsKey(target.Bits);
                if (safe.Contains(key))
                {
                    continue;
                }
                if (!context.Derivable(target.Bits))
                {
                    safe.Add(key);
                    continue;
                }
                found = target;
                break;
            }
            found ??= SmallDerivableUnion(context);
            if (found is null)
            {
                return;
            }
            if (Hypercube(found) is { Count: > 0 } pattern)
            {
                foreach (var set in pattern)
                {
                    _status[set] = GroupStatus.Suppressed;
                }
            }
            else
            {
                _status[Choose(found)] = GroupStatus.Suppressed;
            }
        }
    }

    /// <summary>Protected groups, in a fixed order: suppressed, virtual below N, nested differences, residuals.</summary>
    private IEnumerable<Target> Targets(List<Target> differences)
    {
        for (var set = 0; set < _bits.Count; set++)
        {
            if (_status[set] == GroupStatus.Suppressed
                || (_status[set] == GroupStatus.NotOffered && _count[set] < _threshold))
            {
                yield return new Target(_bits[set], set, null);
            }
        }
        foreach (var difference in differences)
        {
            yield return difference;
        }
        for (var node = 0; node < _lattice.NodeCount; node++)
        {
            var parent = _setOfNode[node];
            if (_count[parent] == 0)
            {
                continue;
            }
            for (var d = 0; d < FilterLattice.Dimensions; d++)
            {
                if (_lattice.Coordinates(node)[d] >= 0)
                {
                    continue;
                }
                var rest = (ulong[])_bits[parent].Clone();
                var published = new HashSet<int>();
                for (var category = 0; category < _lattice.Categories[d]; category++)
                {
                    var child = _setOfNode[_lattice.WithCoordinate(node, d, category)];
                    if (_status[child] == GroupStatus.Published)
                    {
                        published.Add(child);
                        AndNot(rest, _bits[child]);
                    }
                }
                var count = Count(rest);
                if (published.Count > 0 && count > 0 && count < _threshold)
                {
                    yield return new Target(rest, -1, published);
                }
            }
        }
    }

    /// <summary>Differences S1 − S2 of nested groups (any status, virtual ones included) holding 1 to N − 1 respondents.</summary>
    private List<Target> SmallDifferences()
    {
        var result = new List<Target>();
        var seen = new HashSet<BitsKey>();
        var bySize = Enumerable.Range(0, _bits.Count).Where(set => _count[set] > 0).OrderBy(set => _count[set]).ThenBy(set => set).ToArray();
        for (var i = 0; i < bySize.Length; i++)
        {
            var small = bySize[i];
            for (var j = i + 1; j < bySize.Length && _count[bySize[j]] - _count[small] < _threshold; j++)
            {
                var large = bySize[j];
                if (_count[large] == _count[small] || !IsSubset(_bits[small], _bits[large]))
                {
                    continue;
                }
                var rest = (ulong[])_bits[large].Clone();
                AndNot(rest, _bits[small]);
                if (seen.Add(new BitsKey(rest)))
                {
                    result.Add(new Target(rest, -1, new HashSet<int> { small }));
                }
            }
        }
        return result;
    }

    /// <summary>
    /// The published groups that differ from a group's node in the category of one fixed dimension (same
    /// parent along that dimension).
    /// </summary>
    private HashSet<int> Siblings(int set)
    {
        var result = new HashSet<int>();
        foreach (var node in _nodes[set])
        {
            var coordinates = _lattice.Coordinates(node);
            for (var d = 0; d < FilterLattice.Dimensions; d++)
            {
                if (coordinates[d] < 0)
                {
                    continue;
                }
                for (var category = 0; category < _lattice.ValueCounts[d]; category++)
                {
                    var sibling = _lattice.WithCoordinate(node, d, category);
                    var other = _setOfNode[sibling];
                    if (category != coordinates[d] && other != set && _status[other] == GroupStatus.Published)
                    {
                        result.Add(other);
                    }
                }
            }
        }
        return result;
    }

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
        if (small.Count == 0)
        {
            return null;
        }
        var signatures = small.Select(cell => context.Basis.Remainder(context.Project(Single(cell)))).ToArray();
        var form = Enumerable.Range(0, signatures[0].Length).Select(i => Mix((ulong)i) % SpanBasis.Prime).ToArray();
        var keys = signatures.Select(signature => Dot(form, signature)).ToArray();
        var counts = small.Select(CellCount).ToArray();

        var depth = Math.Min(3, _threshold / 2);
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
                        bits[small[i] >> 6] |= 1UL << small[i];
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

    private ulong[] Single(int cell)
    {
        var bits = new ulong[_words];
        bits[cell >> 6] |= 1UL << cell;
        return bits;
    }

    private int CellCount(int cell) => _count[_singleton[cell]];

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
        var z = value + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>
    /// The cheapest set of published groups whose suppression makes the protected group x underivable for
    /// good, or null when no such pattern exists (empty cells in the way).
    /// </summary>
    /// <remarks>
    /// <para>
    /// The hypercube method of cell suppression, on the lattice. A box picks, in each dimension, either one
    /// category a (single) or a pair a, a' (a value and a sibling: another value, or « non renseigné »). Let v
    /// be the vector over the cells that is ±1 on the 2^k cells of the box (sign: − for each a' coordinate)
    /// and 0 elsewhere. For a node n the product structure gives ⟨v, n⟩ = Π over paired dimensions of (1 if n
    /// fixes a, −1 if a', 0 if « all » or anything else) × Π over single dimensions of (1 if n is « all » or
    /// fixes a, else 0). So v is orthogonal to every node except the 8 that take, in each dimension, one of
    /// its two options ({a, a'} or {all, a}). Once those are hidden, v is orthogonal to every published group;
    /// if moreover ⟨v, x⟩ ≠ 0, x is out of the span for good (suppressing more only shrinks it), and so is
    /// every hidden node of the box. The box cells must all be nonempty, otherwise v does not live on the
    /// family's cells; at least one dimension is paired, otherwise the whole panel would be among the 8.
    /// </para>
    /// <para>
    /// For a group of the lattice, taken through each of its nodes: the dimensions the node fixes are paired
    /// (a = its category) and the others single (a free anchor; a pair there would cancel in ⟨v, x⟩). For a
    /// finest cell this is the 2 × 2 × 2 cube of cells; for (all types, Corse, under 20 000), 3 sibling
    /// groups and 4 cells of one type. For another protected union of cells (a residual, a difference, a
    /// small union), the box is anchored on one of its cells, each dimension single or paired, and kept when
    /// ⟨v, x⟩ ≠ 0 (computed exactly).
    /// </para>
    /// <para>
    /// Suppressing one sibling at a time, as a plain greedy would, fails on a fully crossed table: every
    /// sibling is itself the sum of its children, so it is derivable in turn and the suppression spreads (on
    /// a 40,000-respondent panel it reached whole regions). The box suppresses the sibling together with
    /// what keeps it secret. Cost: the respondents of the published groups the box hides, then their number;
    /// the first cheapest in enumeration order wins.
    /// </para>
    /// </remarks>
    private List<int>? Hypercube(Target x)
    {
        List<int>? best = null;
        (long Respondents, int Groups) bestCost = (long.MaxValue, int.MaxValue);
        const int dimensions = FilterLattice.Dimensions;
        var anchor = new int[dimensions];
        var partner = new int[dimensions];
        var coordinates = new int[dimensions];
        var radix = new int[dimensions];
        var digits = new int[dimensions];

        // Boxes through the nodes of a lattice group: fixed dimensions paired, free ones single.
        foreach (var node in x.Set >= 0 ? _nodes[x.Set] : [])
        {
            var fixedAt = _lattice.Coordinates(node).ToArray();
            if (fixedAt.All(c => c < 0))
            {
                continue;
            }
            for (var d = 0; d < dimensions; d++)
            {
                radix[d] = fixedAt[d] >= 0 ? _lattice.Categories[d] - 1 : _lattice.Categories[d];
            }
            if (radix.Contains(0))
            {
                // A fixed dimension with a single category has no sibling to pair with.
                continue;
            }
            Array.Clear(digits);
            do
            {
                for (var d = 0; d < dimensions; d++)
                {
                    anchor[d] = fixedAt[d] >= 0 ? fixedAt[d] : digits[d];
                    partner[d] = fixedAt[d] < 0 ? -1 : digits[d] < fixedAt[d] ? digits[d] : digits[d] + 1;
                }
                Consider(checkTarget: false);
            }
            while (Next());
        }

        // Boxes anchored on a cell of any other protected union: each dimension single or paired.
        if (x.Set < 0)
        {
            for (var cell = 0; cell < _cells; cell++)
            {
                if (!Has(x.Bits, cell))
                {
                    continue;
                }
                var at = _lattice.CellCategories(_global[cell]);
                for (var d = 0; d < dimensions; d++)
                {
                    // Digit 0: single; digit k ≥ 1: paired with the k-th other category.
                    radix[d] = _lattice.Categories[d];
                }
                Array.Clear(digits);
                do
                {
                    if (digits.All(digit => digit == 0))
                    {
                        continue;
                    }
                    for (var d = 0; d < dimensions; d++)
                    {
                        anchor[d] = at[d];
                        partner[d] = digits[d] == 0 ? -1 : digits[d] - 1 < at[d] ? digits[d] - 1 : digits[d];
                    }
                    Consider(checkTarget: true);
                }
                while (Next());
            }
        }
        return best;

        bool Next()
        {
            var position = dimensions - 1;
            while (position >= 0 && ++digits[position] >= radix[position])
            {
                digits[position] = 0;
                position--;
            }
            return position >= 0;
        }

        void Consider(bool checkTarget)
        {
            if (Box(anchor, partner, coordinates, checkTarget ? x.Bits : null) is { } pattern)
            {
                var cost = (pattern.Sum(set => (long)_count[set]), pattern.Count);
                if (cost.CompareTo(bestCost) < 0)
                {
                    bestCost = cost;
                    best = pattern;
                }
            }
        }
    }

    /// <summary>
    /// The published groups a box would hide (partner −1 = single dimension), or null when the box is not
    /// usable: an empty cell, the whole panel among the 8, or (when <paramref name="target"/> is given)
    /// ⟨v, target⟩ = 0.
    /// </summary>
    private List<int>? Box(int[] anchor, int[] partner, int[] coordinates, ulong[]? target)
    {
        const int dimensions = FilterLattice.Dimensions;
        var product = 0;
        for (var corner = 0; corner < 1 << dimensions; corner++)
        {
            var sign = 1;
            var skip = false;
            for (var d = 0; d < dimensions; d++)
            {
                var second = (corner >> d & 1) == 1;
                if (second && partner[d] < 0)
                {
                    skip = true;
                    break;
                }
                coordinates[d] = second ? partner[d] : anchor[d];
                sign = second ? -sign : sign;
            }
            if (skip)
            {
                continue;
            }
            var cell = _lattice.Cell(coordinates);
            if (_local[cell] < 0)
            {
                return null;
            }
            if (target is not null && Has(target, _local[cell]))
            {
                product += sign;
            }
        }
        if (target is not null && product == 0)
        {
            return null;
        }
        // The 8 nodes not orthogonal to the box: {a, a'} where paired, {all, a} where single.
        var hidden = new List<int>(8);
        for (var corner = 0; corner < 1 << dimensions; corner++)
        {
            for (var d = 0; d < dimensions; d++)
            {
                var second = (corner >> d & 1) == 1;
                coordinates[d] = partner[d] >= 0 ? (second ? partner[d] : anchor[d]) : (second ? anchor[d] : -1);
            }
            var group = _setOfNode[_lattice.Node(coordinates)];
            if (group == Panel)
            {
                return null;
            }
            if (_status[group] == GroupStatus.Published && !hidden.Contains(group))
            {
                hidden.Add(group);
            }
        }
        return hidden;
    }

    /// <summary>
    /// The published group to suppress so that a derivable protected group x stops being derivable, or at
    /// least loses one derivation.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Candidates are the groups x is made of in one derivation (any group whose removal breaks every
    /// derivation appears in all of them): the basis members with a nonzero coefficient, and the published
    /// single cells with a nonzero coefficient once those members are accounted for. The whole panel is never
    /// a candidate. They are ranked as the rule says: first the siblings of x (same parent along one
    /// dimension; for a residual, the published children; for a difference S1 − S2, S2), then the groups that
    /// intersect x, then the others; within a rank the smallest group first, then lattice order.
    /// </para>
    /// <para>
    /// The first candidate whose removal leaves x underivable is taken. If none does alone (x has several
    /// independent derivations), the first candidate that is not itself derivable from the rest is taken, so
    /// that the new suppression does not need protecting in turn; failing that, the first candidate. The loop
    /// then looks at x again.
    /// </para>
    /// </remarks>
    private int Choose(Target x)
    {
        var context = new SpanContext(this, excludedSingleton: -1, tracked: true);
        var members = context.Basis.Members;
        var coefficients = context.Basis.Express(context.Project(x.Bits))
            ?? throw new InvalidOperationException("Choose needs a derivable group.");
        var candidates = new List<(int Set, int Member, int Cell)>();
        for (var m = 0; m < members.Count; m++)
        {
            if (coefficients[m] != 0 && members[m] != Panel)
            {
                candidates.Add((members[m], m, -1));
            }
        }
        // x = Σ β_m member_m + Σ δ_c e_c over the published cells c: the cells with δ_c ≠ 0 take part too.
        for (var cell = 0; cell < _cells; cell++)
        {
            if (!context.IsKnown(cell))
            {
                continue;
            }
            var delta = Has(x.Bits, cell) ? 1UL : 0UL;
            for (var m = 0; m < members.Count; m++)
            {
                if (coefficients[m] != 0 && Has(_bits[members[m]], cell))
                {
                    delta = SpanBasis.Add(delta, SpanBasis.Negate(coefficients[m]));
                }
            }
            var set = _singleton[cell];
            if (delta != 0 && set != Panel)
            {
                candidates.Add((set, -1, cell));
            }
        }
        if (candidates.Count == 0)
        {
            // Unreachable: x would then be the whole panel, which is never protected while published.
            throw new InvalidOperationException("A protected group is derivable from the whole panel alone.");
        }

        var siblings = x.Siblings ?? Siblings(x.Set);
        var ranked = candidates
            .OrderBy(c => siblings.Contains(c.Set) ? 0 : Intersects(_bits[c.Set], x.Bits) ? 1 : 2)
            .ThenBy(c => _count[c.Set])
            .ThenBy(c => c.Set)
            .ToList();
        int? firstIndependent = null;
        foreach (var candidate in ranked)
        {
            bool breaks, independent;
            if (candidate.Member >= 0)
            {
                // A member with a nonzero coefficient: dropping it breaks x unless a dependent group stands in for it.
                independent = !context.Basis.IsExchangeable(candidate.Member);
                breaks = independent;
            }
            else
            {
                var without = new SpanContext(this, excludedSingleton: candidate.Set);
                breaks = !without.Derivable(x.Bits);
                independent = !without.Derivable(_bits[candidate.Set]);
            }
            if (breaks)
            {
                return candidate.Set;
            }
            if (independent)
            {
                firstIndependent ??= candidate.Set;
            }
        }
        return firstIndependent ?? ranked[0].Set;
    }

    private static bool IsSubset(ulong[] small, ulong[] large)
    {
        for (var w = 0; w < small.Length; w++)
        {
            if ((small[w] & ~large[w]) != 0)
            {
                return false;
            }
        }
        return true;
    }

    private static bool Intersects(ulong[] a, ulong[] b)
    {
        for (var w = 0; w < a.Length; w++)
        {
            if ((a[w] & b[w]) != 0)
            {
                return true;
            }
        }
        return false;
    }

    private static void AndNot(ulong[] target, ulong[] removed)
    {
        for (var w = 0; w < target.Length; w++)
        {
            target[w] &= ~removed[w];
        }
    }

    private static bool Has(ulong[] bits, int cell) => (bits[cell >> 6] & (1UL << cell)) != 0;

    private static int PopCount(ulong[] bits) => bits.Sum(BitOperations.PopCount);

    private static int FirstBit(ulong[] bits)
    {
        for (var w = 0; w < bits.Length; w++)
        {
            if (bits[w] != 0)
            {
                return (w * 64) + BitOperations.TrailingZeroCount(bits[w]);
            }
        }
        return -1;
    }

    private int Count(ulong[] bits)
    {
        var total = 0;
        for (var cell = 0; cell < _cells; cell++)
        {
            if (Has(bits, cell))
            {
                total += CellCount(cell);
            }
        }
        return total;
    }

    /// <summary>
    /// A protected group: its cells, and the groups to try first to protect it (the siblings of
    /// <paramref name="Set"/> when it is a group of the lattice, worked out only when needed).
    /// </summary>
    private sealed record Target(ulong[] Bits, int Set, IReadOnlySet<int>? Siblings);

    /// <summary>
    /// The span of the published groups of the family as it stands, projected on the cells that are not
    /// published on their own.
    /// </summary>
    private sealed class SpanContext
    {
        private readonly int[] _position;
        private readonly int _dimension;

        /// <param name="family">The family.</param>
        /// <param name="excludedSingleton">A published single-cell group to leave out (what-if), or −1.</param>
        /// <param name="tracked">Whether the basis keeps expressions (for <see cref="Choose"/>).</param>
        public SpanContext(FamilySecrecy family, int excludedSingleton, bool tracked = false)
        {
            _position = new int[family._cells];
            for (var cell = 0; cell < family._cells; cell++)
            {
                var singleton = family._singleton[cell];
                var known = family._status[singleton] == GroupStatus.Published && singleton != excludedSingleton;
                _position[cell] = known ? -1 : _dimension++;
            }
            Basis = new SpanBasis(_dimension, tracked);
            for (var set = 0; set < family._bits.Count; set++)
            {
                if (family._status[set] != GroupStatus.Published || set == excludedSingleton)
                {
                    continue;
                }
                var vector = Project(family._bits[set]);
                if (Array.Exists(vector, value => value != 0))
                {
                    Basis.Add(set, vector);
                }
            }
        }

        public SpanBasis Basis { get; }

        public bool IsKnown(int cell) => _position[cell] < 0;

        public ulong[] Project(ulong[] bits)
        {
            var vector = new ulong[_dimension];
            for (var w = 0; w < bits.Length; w++)
            {
                // Visit the set bits only: groups are sparse over the cells of a large lattice.
                for (var word = bits[w]; word != 0; word &= word - 1)
                {
                    var position = _position[(w * 64) + BitOperations.TrailingZeroCount(word)];
                    if (position >= 0)
                    {
                        vector[position] = 1;
                    }
                }
            }
            return vector;
        }

        public bool Derivable(ulong[] bits) => Basis.Contains(Project(bits));
    }

    /// <summary>A bit vector as a dictionary key (value equality).</summary>
    private readonly struct BitsKey(ulong[] bits) : IEquatable<BitsKey>
    {
        private readonly ulong[] _bits = bits;

        public bool Equals(BitsKey other) => _bits.AsSpan().SequenceEqual(other._bits);

        public override bool Equals(object? obj) => obj is BitsKey other && Equals(other);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            foreach (var word in _bits)
            {
                hash.Add(word);
            }
            return hash.ToHashCode();
        }
    }
}
