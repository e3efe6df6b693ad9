namespace Barometre.Core.Publication;

/// <summary>
/// The suppression of one family of groups: the groups S ∩ P of every node S of the lattice for one figure
/// population P, given as respondent counts per cell. See <see cref="SecrecyPlan"/> for the rules; this
/// class implements them.
/// </summary>
/// <remarks>
/// <para>
/// A group is handled as the set of its nonempty cells (a bit vector, <see cref="CellBits"/>). Nodes with the
/// same set show the same figure, so they share one status: deciding per node could publish through one node
/// what is hidden for another. Only the counts per cell matter, so families with the same counts get the same
/// decisions.
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
/// <para>
/// This file holds the decisions (the three rules and which group to suppress); the searches they call have
/// files of their own: the span (<c>FamilySecrecy.SpanContext.cs</c>), the hypercube boxes
/// (<c>FamilySecrecy.Hypercube.cs</c>), the small derivable unions (<c>FamilySecrecy.SmallUnions.cs</c>) and
/// the cheapest safe pattern that replaces the rules' complementary suppressions (<c>FamilySecrecy.Cheapest.cs</c>).
/// </para>
/// </remarks>
internal sealed partial class FamilySecrecy
{
    private readonly FilterLattice _lattice;
    private readonly int _threshold;
    private readonly int _words;
    private readonly int _cells;
    private readonly int[] _setOfNode;
    private readonly List<ulong[]> _bits = [];
    private readonly List<int> _count = [];
    private readonly List<List<int>> _nodes = [];
    private readonly List<int> _offered = [];
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
        _words = CellBits.Words(_cells);
        _local = local;
        _global = [.. Enumerable.Range(0, lattice.CellCount).Where(cell => local[cell] >= 0)];

        _setOfNode = new int[lattice.NodeCount];
        var index = new Dictionary<ArrayKey<ulong>, int>();
        for (var node = 0; node < lattice.NodeCount; node++)
        {
            var bits = new ulong[_words];
            var count = 0;
            foreach (var cell in lattice.Cells(node))
            {
                var l = local[cell];
                if (l >= 0)
                {
                    CellBits.Add(bits, l);
                    count += counts[l];
                }
            }
            if (!index.TryGetValue(new ArrayKey<ulong>(bits), out var set))
            {
                // Sets are numbered in the order of their first node: set order is lattice order.
                set = _bits.Count;
                index.Add(new ArrayKey<ulong>(bits), set);
                _bits.Add(bits);
                _count.Add(count);
                _nodes.Add([]);
                _offered.Add(0);
            }
            _setOfNode[node] = set;
            _nodes[set].Add(node);
            _offered[set] += lattice.IsReal(node) ? 1 : 0;
        }

        // Every nonempty cell is the set of its finest node, so every cell has a singleton set.
        _singleton = new int[_cells];
        for (var set = 0; set < _bits.Count; set++)
        {
            if (CellBits.PopCount(_bits[set]) == 1)
            {
                _singleton[CellBits.FirstBit(_bits[set])] = set;
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
            _status[set] = _count[set] == 0 ? GroupStatus.Empty : _offered[set] > 0 ? GroupStatus.Published : GroupStatus.NotOffered;
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

        // Everything still published may be chosen as a complementary suppression, except the whole panel.
        var candidates = Enumerable.Range(0, sets).Where(set => _status[set] == GroupStatus.Published && set != Panel).ToArray();
        Differences();
        Sums();
        Cheapest(candidates);
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
                    && CellBits.IsSubset(_bits[small], _bits[large]))
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
    /// and, last, any union of cells of fewer than N respondents (<see cref="SmallDerivableUnion(SpanContext)"/>).
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
        var safe = new HashSet<ArrayKey<ulong>>();
        while (true)
        {
            var context = new SpanContext(this, excludedSingleton: -1);
            Target? found = null;
            foreach (var target in Targets(differences))
            {
                var key = new ArrayKey<ulong>(target.Bits);
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
            if (IsProtectedSet(set))
            {
                yield return new Target(_bits[set], set, null);
            }
        }
        foreach (var difference in differences)
        {
            yield return difference;
        }
        foreach (var (node, parent, d) in ParentsAlong())
        {
            var rest = (ulong[])_bits[parent].Clone();
            var published = new HashSet<int>();
            for (var category = 0; category < _lattice.Categories[d]; category++)
            {
                var child = _setOfNode[_lattice.WithCoordinate(node, d, category)];
                if (_status[child] == GroupStatus.Published)
                {
                    published.Add(child);
                    CellBits.AndNot(rest, _bits[child]);
                }
            }
            var count = Count(rest);
            if (published.Count > 0 && count > 0 && count < _threshold)
            {
                yield return new Target(rest, -1, published);
            }
        }
    }

    /// <summary>Every nonempty group of the lattice with each dimension its node leaves free (« all »): a parent of its children along it.</summary>
    private IEnumerable<(int Node, int Parent, int Dimension)> ParentsAlong()
    {
        for (var node = 0; node < _lattice.NodeCount; node++)
        {
            var parent = _setOfNode[node];
            if (_count[parent] == 0)
            {
                continue;
            }
            for (var d = 0; d < FilterLattice.Dimensions; d++)
            {
                if (_lattice.Coordinates(node)[d] < 0)
                {
                    yield return (node, parent, d);
                }
            }
        }
    }

    /// <summary>Whether a group of the lattice is protected as it stands: suppressed, or virtual and below N.</summary>
    private bool IsProtectedSet(int set) =>
        _status[set] == GroupStatus.Suppressed || (_status[set] == GroupStatus.NotOffered && _count[set] < _threshold);

    /// <summary>Differences S1 − S2 of nested groups (any status, virtual ones included) holding 1 to N − 1 respondents.</summary>
    private List<Target> SmallDifferences()
    {
        var result = new List<Target>();
        var seen = new HashSet<ArrayKey<ulong>>();
        var bySize = Enumerable.Range(0, _bits.Count).Where(set => _count[set] > 0).OrderBy(set => _count[set]).ThenBy(set => set).ToArray();
        for (var i = 0; i < bySize.Length; i++)
        {
            var small = bySize[i];
            for (var j = i + 1; j < bySize.Length && _count[bySize[j]] - _count[small] < _threshold; j++)
            {
                var large = bySize[j];
                if (_count[large] == _count[small] || !CellBits.IsSubset(_bits[small], _bits[large]))
                {
                    continue;
                }
                var rest = (ulong[])_bits[large].Clone();
                CellBits.AndNot(rest, _bits[small]);
                if (seen.Add(new ArrayKey<ulong>(rest)))
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

    private int CellCount(int cell) => _count[_singleton[cell]];

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
            var delta = CellBits.Has(x.Bits, cell) ? 1UL : 0UL;
            for (var m = 0; m < members.Count; m++)
            {
                if (coefficients[m] != 0 && CellBits.Has(_bits[members[m]], cell))
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
            .OrderBy(c => siblings.Contains(c.Set) ? 0 : CellBits.Intersects(_bits[c.Set], x.Bits) ? 1 : 2)
            .ThenBy(c => Weight(c.Set))
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

    private int Count(ulong[] bits)
    {
        var total = 0;
        for (var cell = 0; cell < _cells; cell++)
        {
            if (CellBits.Has(bits, cell))
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
}
