namespace Barometre.Core.Publication;

// Secondary suppression at least cost: the safe pattern of the rules, made as cheap as it can be.
internal sealed partial class FamilySecrecy
{
    /// <summary>Families with at most this many candidate groups are searched exactly.</summary>
    internal const int ExactCandidates = 32;

    /// <summary>
    /// The exact search's budget: a step (one more group published) counts 1, a complete pattern checked counts
    /// <see cref="PatternCheckCost"/> (it is about that much slower). Past it, the cheapest safe pattern found so
    /// far stands.
    /// </summary>
    internal const int ExactBudget = 400;

    /// <summary>What checking a complete pattern takes from <see cref="ExactBudget"/>.</summary>
    internal const int PatternCheckCost = 8;

    /// <summary>
    /// The cost of hiding a group: its respondents once for every offered filter that shows it (two filters with
    /// the same respondents, « Communauté urbaine » and « Communauté urbaine · 100 000 à 249 999 », are two
    /// figures lost).
    /// </summary>
    private long Weight(int set) => (long)_count[set] * _offered[set];

    /// <summary>
    /// Replaces the complementary suppressions of <see cref="Differences"/> and <see cref="Sums"/> by the
    /// cheapest safe pattern: the fewest respondents hidden (<see cref="Weight"/>), then the fewest filters
    /// hidden, then the pattern whose hidden groups come first in lattice order.
    /// </summary>
    /// <param name="candidates">The groups published once primary and forced suppressions are made, the panel excepted: the only ones that may be hidden for others.</param>
    /// <remarks>
    /// <para>
    /// Safe means what the rules' loop stops on (<see cref="IsSafe"/>): no protected group derivable, every
    /// hidden group included. Two steps, each keeping only safe patterns, so that the result is never less
    /// safe than the rules' own and never costs more.
    /// </para>
    /// <para>
    /// First, each complementary suppression, the costliest first, is given back when the pattern stays safe
    /// without it (a pattern none of whose suppressions can be given back alone). Then, when the family has at
    /// most <see cref="ExactCandidates"/> candidates, <see cref="SearchCheapest"/> finds the cheapest safe
    /// pattern of all, within <see cref="ExactBudget"/>. National panels have hundreds of candidates: there the
    /// first step is the heuristic, on top of the hypercube boxes the rules already choose by the same cost.
    /// </para>
    /// </remarks>
    private void Cheapest(int[] candidates)
    {
        var secondary = candidates.Where(set => _status[set] == GroupStatus.Suppressed).ToArray();
        if (secondary.Length == 0)
        {
            return;
        }
        var differences = SmallDifferences();
        var context = new SpanContext(this, excludedSingleton: -1);
        foreach (var set in secondary.OrderByDescending(Weight).ThenBy(set => set))
        {
            _status[set] = GroupStatus.Published;
            var wider = context.Derivable(_bits[set]) ? context : context.With(set, _bits[set]);
            if (IsSafe(differences, wider))
            {
                context = wider;
            }
            else
            {
                _status[set] = GroupStatus.Suppressed;
            }
        }
        if (candidates.Length <= ExactCandidates)
        {
            SearchCheapest(candidates, differences);
        }
    }

    /// <summary>
    /// Whether nothing protected is derivable from the published groups, whose span is <paramref name="context"/>:
    /// the state <see cref="Sums"/> ends in.
    /// </summary>
    private bool IsSafe(List<Target> differences, SpanContext context)
    {
        foreach (var target in Targets(differences))
        {
            if (context.Derivable(target.Bits))
            {
                return false;
            }
        }
        return SmallDerivableUnion(context) is null;
    }

    /// <summary>
    /// The cheapest safe pattern over the candidates, by branch and bound; the current (safe) pattern is the
    /// first bound.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Candidates are decided one at a time, the costliest first, « published » tried before « hidden ». A
    /// branch is cut when it already hides more than the best pattern known, or when what it publishes can
    /// never be safe again, since publishing more only widens the span: a candidate hidden earlier, a group
    /// hidden by the rules, a virtual group of fewer than N or a small difference of nested groups is
    /// derivable. A candidate that the groups published so far already derive is published without branching
    /// (hidden, it would be derivable). Each complete pattern is checked by <see cref="IsSafe"/>, which also
    /// looks at what depends on the whole pattern (« parent minus its published children », small unions).
    /// The search is exhaustive, so the result is the cheapest safe pattern, unless it runs out of budget (the
    /// cheapest met then stands, still safe).
    /// </para>
    /// <para>
    /// Derivability is followed incrementally: every vector that decides a branch keeps its remainder modulo
    /// the span of the groups published so far (zero exactly when derivable, linear), and publishing one more
    /// group with remainder r updates each remainder x to x − (x_p / r_p) r for a coordinate p where r is
    /// nonzero, which keeps both properties. A step costs a pass over those vectors, not an elimination.
    /// </para>
    /// </remarks>
    private void SearchCheapest(int[] candidates, List<Target> differences)
    {
        var order = candidates.OrderByDescending(Weight).ThenBy(set => set).ToArray();
        var best = Pattern.Of(this, candidates);
        foreach (var set in order)
        {
            _status[set] = GroupStatus.Suppressed;
        }
        // The vectors that decide a branch: the candidates in search order, then the protected groups no decision
        // changes (those hidden by the rules, virtual groups below N, small differences of nested groups).
        var root = new SpanContext(this, excludedSingleton: -1);
        var isCandidate = new HashSet<int>(candidates);
        // The cells below N are never published on their own (they are primary): their signatures come last,
        // for the small unions.
        var small = Enumerable.Range(0, _cells).Where(cell => CellCount(cell) < _threshold).ToList();
        var vectors = order.Select(set => _bits[set])
            .Concat(Enumerable.Range(0, _bits.Count).Where(set => !isCandidate.Contains(set) && IsProtectedSet(set)).Select(set => _bits[set]))
            .Concat(differences.Select(difference => difference.Bits))
            .Concat(small.Select(cell => CellBits.Single(cell, _words)))
            .Select(bits => root.Basis.Remainder(root.Project(bits)))
            .ToArray();
        var firstSmall = vectors.Length - small.Count;
        var rank = new int[_bits.Count];
        Array.Fill(rank, -1);
        for (var i = 0; i < order.Length; i++)
        {
            rank[order[i]] = i;
        }
        var residuals = Residuals();
        var budget = ExactBudget;
        Explore(0, 0, vectors);
        foreach (var set in candidates)
        {
            _status[set] = Array.BinarySearch(best.Hidden, set) >= 0 ? GroupStatus.Suppressed : GroupStatus.Published;
        }

        void Explore(int position, long cost, ulong[][] remainders)
        {
            if (cost > best.Cost || budget <= 0)
            {
                return;
            }
            if (position == order.Length)
            {
                var pattern = Pattern.Of(this, candidates);
                if (pattern.CompareTo(best) < 0)
                {
                    budget -= PatternCheckCost;
                    if (IsSafe(differences, new SpanContext(this, excludedSingleton: -1)))
                    {
                        best = pattern;
                    }
                }
                return;
            }
            var set = order[position];
            if (Array.TrueForAll(remainders[position], value => value == 0))
            {
                // Already derivable: publishing it changes nothing, hiding it could not be safe.
                _status[set] = GroupStatus.Published;
                Explore(position + 1, cost, remainders);
            }
            else
            {
                budget--;
                _status[set] = GroupStatus.Published;
                if (ResidualsHold(set, position) && Widen(remainders, position) is { } wider)
                {
                    Explore(position + 1, cost, wider);
                }
                _status[set] = GroupStatus.Suppressed;
                Explore(position + 1, cost + Weight(set), remainders);
            }
            _status[set] = GroupStatus.Suppressed;
        }

        // « Parent minus its published children » of 1 to N − 1 respondents is derivable once the parent is
        // published: cut as soon as the parent and every child of one it belongs to are decided.
        bool ResidualsHold(int set, int position)
        {
            foreach (var (parent, children) in residuals[set])
            {
                if (_status[parent] != GroupStatus.Published || Array.Exists(children, child => rank[child] > position))
                {
                    continue;
                }
                var rest = _count[parent];
                foreach (var child in children)
                {
                    rest -= _status[child] == GroupStatus.Published ? _count[child] : 0;
                }
                if (rest > 0 && rest < _threshold)
                {
                    return false;
                }
            }
            return true;
        }

        // The remainders once the candidate at this position is published, or null when that makes a candidate
        // hidden earlier or a fixed protected group derivable.
        ulong[][]? Widen(ulong[][] remainders, int position)
        {
            var own = remainders[position];
            var pivot = Array.FindIndex(own, value => value != 0);
            var inverse = SpanBasis.Inverse(own[pivot]);
            var result = new ulong[remainders.Length][];
            for (var i = 0; i < remainders.Length; i++)
            {
                var remainder = remainders[i];
                if (remainder[pivot] == 0)
                {
                    result[i] = remainder;
                    continue;
                }
                var factor = SpanBasis.Negate(SpanBasis.Multiply(remainder[pivot], inverse));
                var next = (ulong[])remainder.Clone();
                var zero = true;
                for (var j = 0; j < next.Length; j++)
                {
                    if (own[j] != 0)
                    {
                        next[j] = SpanBasis.Add(next[j], SpanBasis.Multiply(factor, own[j]));
                    }
                    zero &= next[j] == 0;
                }
                if (zero && i != position && (i < position || i >= order.Length) && i < firstSmall)
                {
                    return null;
                }
                result[i] = next;
            }
            // Single cells and pairs only: the full search of larger unions waits for the complete pattern.
            return SmallDerivableUnion(small, result[firstSmall..], halfCells: 1) is null ? result : null;
        }
    }

    /// <summary>
    /// For each group, the « parent and its children along one dimension » it takes part in, as parent or as
    /// child (children are disjoint: distinct categories of the dimension).
    /// </summary>
    private List<(int Parent, int[] Children)>[] Residuals()
    {
        var result = new List<(int, int[])>[_bits.Count];
        for (var set = 0; set < result.Length; set++)
        {
            result[set] = [];
        }
        foreach (var (node, parent, d) in ParentsAlong())
        {
            int[] children = [.. Enumerable.Range(0, _lattice.Categories[d]).Select(category => _setOfNode[_lattice.WithCoordinate(node, d, category)]).Where(child => _count[child] > 0)];
            foreach (var set in children.Append(parent).Distinct())
            {
                result[set].Add((parent, children));
            }
        }
        return result;
    }

    /// <summary>A suppression pattern of the candidates and its cost, ordered as the cost rule says.</summary>
    private sealed record Pattern(long Cost, int Filters, int[] Hidden) : IComparable<Pattern>
    {
        /// <summary>The candidates hidden as the family stands.</summary>
        public static Pattern Of(FamilySecrecy family, int[] candidates)
        {
            var hidden = candidates.Where(set => family._status[set] == GroupStatus.Suppressed).Order().ToArray();
            return new Pattern(hidden.Sum(family.Weight), hidden.Sum(set => family._offered[set]), hidden);
        }

        /// <summary>Fewer respondents hidden, then fewer filters, then the hidden groups earliest in lattice order.</summary>
        public int CompareTo(Pattern? other)
        {
            ArgumentNullException.ThrowIfNull(other);
            var order = (Cost, Filters).CompareTo((other.Cost, other.Filters));
            for (var i = 0; order == 0 && i < Math.Min(Hidden.Length, other.Hidden.Length); i++)
            {
                order = Hidden[i].CompareTo(other.Hidden[i]);
            }
            return order != 0 ? order : Hidden.Length.CompareTo(other.Hidden.Length);
        }
    }
}
