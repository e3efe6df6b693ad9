namespace Barometre.Core.Publication;

// The hypercube search: the cheapest box of published groups whose suppression protects a group for good.
internal sealed partial class FamilySecrecy
{
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
    /// what keeps it secret. Cost: the respondents of the published groups the box hides (<see cref="Weight"/>,
    /// the cost rule of <see cref="Cheapest"/>), then their number; the first cheapest in enumeration order wins.
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
                if (!CellBits.Has(x.Bits, cell))
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
                var cost = (pattern.Sum(Weight), pattern.Count);
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
            if (target is not null && CellBits.Has(target, _local[cell]))
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
}
