using Barometre.Core.Responses;

namespace Barometre.Core.Publication;

/// <summary>
/// The statistical secrecy of a campaign's published results: for every filter by type, region and
/// population band, whether it may be shown and which of its figures must be hidden. The dashboard, the
/// API, the exports and the reports all ask the plan; none decides on its own.
/// </summary>
/// <remarks>
/// <para>
/// <b>The rule.</b> No figure is shown for a group of fewer than N respondents (N = <see cref="Threshold"/>,
/// 5 by default, set per campaign), and no combination of the figures shown may reveal such a group: in
/// particular a subset whose complement within its parent holds fewer than N respondents is suppressed too.
/// Hidden figures say so (« secret statistique »); they are never shown as zeros.
/// </para>
/// <para>
/// <b>The lattice.</b> A filter fixes, for each of the three dimensions, one value or « all ». For the
/// partition, respondents without a value (or with a blank one) belong to a « non renseigné » category of
/// the dimension, so that a parent is exactly the sum of its children; that category is not offered as a
/// filter, but the groups it forms are protected like the others (« the whole panel minus every offered
/// region » is the group of respondents without a region). The finest cells fix a category in every
/// dimension; every group is a union of cells.
/// </para>
/// <para>
/// <b>Families.</b> Each figure f is computed on a population P_f: everybody for the filter itself; those
/// who gave a level for a question; those scored on a theme; those scored on both themes of a correlation;
/// those who answered every question of a theme for its alpha; those with a global index (see
/// <see cref="FigureId"/>). For filter S the figure concerns S ∩ P_f. Within each family
/// {S ∩ P_f : S in the lattice}, groups are compared as sets of respondents (as sets of nonempty cells), and:
/// </para>
/// <list type="number">
/// <item><b>Primary.</b> 0 &lt; |S ∩ P_f| &lt; N: suppressed. An empty group has nothing to show and is not a secret.</item>
/// <item><b>Differences.</b> For published groups S2 ⊂ S1 (an ancestor in the lattice, or any group that
/// happens to contain it), 0 &lt; |S1| − |S2| &lt; N: S2 is suppressed. Groups are decided by decreasing size,
/// so each S1 is final when S2 is decided.</item>
/// <item><b>Sums.</b> Groups are 0/1 vectors over the cells. No protected group may lie in the span of the
/// published groups of its family (sums and differences of any number of them: parent − Σ published
/// siblings, and beyond), checked by Gaussian elimination in exact (modular) arithmetic. Protected are every
/// suppressed group, every group of 1 to N − 1 respondents (virtual « non renseigné » groups included),
/// every difference of two nested groups of 1 to N − 1, every « parent minus its published children along
/// one dimension » of 1 to N − 1 (two suppressed siblings of 2 each would otherwise be read as a group of
/// 4), and finally any union of cells of 1 to N − 1 respondents whatever its shape (a type minus two of its
/// subgroups in different dimensions; searched exhaustively for N ≤ 7, up to 6 cells beyond). While one is
/// derivable, more published groups are suppressed, then the span is recomputed, until nothing protected
/// is derivable. The choice is a « hypercube »: a sibling of the protected group in each dimension it fixes
/// and the few groups that keep those siblings secret in turn (for a finest cell, the 7 other corners of a
/// 2 × 2 × 2 cube of cells; for the 2 collectivités without a type, the smallest type), the cheapest in
/// respondents, which provably makes the protected group underivable at once. Suppressing one sibling at a
/// time spreads on a fully crossed table instead (every sibling is the sum of its own children, so
/// derivable in turn: on a 40,000-respondent panel it reached whole regions). When no box fits (empty cells
/// in the way), one group is suppressed: among the groups of one derivation, the smallest sibling of the
/// protected group (same parent along one dimension), failing that the smallest group intersecting it,
/// failing that the smallest other one, preferring a choice that breaks every derivation. The whole panel
/// is never suppressed unless it is itself below N, and it never needs to be: with only the panel
/// published, only the panel is derivable.</item>
/// </list>
/// <para>
/// <b>The cost rule.</b> Rules 1 and the forced filters below are <em>primary</em> suppressions: they follow from
/// the counts alone. Everything rules 2 and 3 add is <em>secondary</em> (complementary) suppression, and the plan
/// hides the least it can, as statistical offices' tools do (τ-ARGUS: the cheapest complementary cells, the cost
/// of a cell being its respondents): among the safe patterns (those the properties below hold for), one of the
/// fewest respondents hidden, counting a group once per offered filter that shows it; ties go to fewer filters
/// hidden, then to the pattern whose hidden groups come first in lattice order. In a panel of 18 communes, 10
/// agglomérations, 9 métropoles and 3 communautés urbaines, the métropoles go with the communautés urbaines, not
/// the communes; the region and population filters may force more (one more band of the communes when the
/// communes' other bands hold fewer than N between them). The rules above give a safe pattern; each secondary suppression is
/// then given back, the costliest first, while the pattern stays safe; then a branch and bound over every
/// group still published after the primary suppressions finds the cheapest safe pattern when the family has at
/// most 32 such groups and the search fits its budget (small and regional panels). Beyond (national panels,
/// hundreds of groups), the result is the rules' hypercube patterns, chosen by the same cost, with the
/// suppressions that can be given back given back: safe, cheap, not proven cheapest.
/// </para>
/// <para>
/// A filter whose own group (P = everybody) is suppressed is suppressed as a whole: every figure is
/// hidden. Those hidden groups are also protected (as suppressed groups) in every other family, except where
/// the group is the family's whole population, whose figure is the panel's own and not secret.
/// </para>
/// <para>
/// <b>Properties</b> (checked by the tests on adversarial panels): every published group has at least N
/// respondents; two nested published groups differ by 0 or at least N; no hidden group, and no set of 1 to
/// N − 1 respondents, is a linear combination of published groups of its family (for N ≤ 7; beyond, no such
/// set of up to 6 cells and none of the structured ones above).
/// </para>
/// <para>
/// <b>Determinism and speed.</b> Decisions depend only on the counts per cell, in fixed orders (lattice order
/// for ties; the exact search's budget is counted in steps, not time); families with the same counts are decided once. Elimination runs only over the cells that are
/// not published on their own, so panels of tens of thousands of respondents stay fast (about half a
/// second for 40,000 respondents, 37 questions, 4 types, 13 regions and 5 bands). No randomness: even the
/// hashing form of the small-union search uses fixed coefficients.
/// </para>
/// <para>
/// <b>Not covered.</b> The rules protect groups against sums and differences of figures of the same
/// family, assuming the attacker knows who belongs to which filter. They do not reason across families (a
/// question's distribution and a theme's mean concern slightly different respondents), nor on what is
/// inside a published group (a segment of the k-means may be smaller than N; a level of a distribution may
/// be chosen by one respondent — « 1 of 12 is at level 4 » — or by all), nor on non-linear statistics
/// (medians, quartiles, ranks) beyond the group sizes. Callers must drop individual scores and segment
/// members, withhold segments below N and rank only the themes shown.
/// </para>
/// </remarks>
public sealed partial class SecrecyPlan
{
    /// <summary>The default threshold N.</summary>
    public const int DefaultThreshold = 5;

    private readonly Dictionary<string, int>[] _valueIndex;
    private readonly FilterLattice _lattice;
    private readonly FilterDecision[] _byNode;

    private SecrecyPlan(
        int threshold,
        IReadOnlyList<string> types,
        IReadOnlyList<string> regions,
        IReadOnlyList<string> bands,
        IReadOnlyList<string> figures,
        Dictionary<string, int>[] valueIndex,
        FilterLattice lattice,
        FilterDecision[] byNode)
    {
        Threshold = threshold;
        Types = types;
        Regions = regions;
        PopulationBands = bands;
        Figures = figures;
        _lattice = lattice;
        _byNode = byNode;
        _valueIndex = valueIndex;
        All = [.. Enumerable.Range(0, lattice.NodeCount).Where(lattice.IsReal).Select(node => byNode[node])];
    }

    /// <summary>The threshold N: no figure for a group of fewer than N respondents.</summary>
    public int Threshold { get; }

    /// <summary>The types of collectivité present in the panel, alphabetical (accents and case ignored).</summary>
    public IReadOnlyList<string> Types { get; }

    /// <summary>The regions present in the panel, alphabetical (accents and case ignored).</summary>
    public IReadOnlyList<string> Regions { get; }

    /// <summary>The ids of the population bands present in the panel, by increasing population.</summary>
    public IReadOnlyList<string> PopulationBands { get; }

    /// <summary>
    /// Every figure id the plan decides on, in order: questions, themes, alphas, correlations (model order),
    /// then <see cref="FigureId.Index"/>.
    /// </summary>
    public IReadOnlyList<string> Figures { get; }

    /// <summary>
    /// The decision of every filter the panel offers: each dimension « all » or one of its values present,
    /// type-major, « all » first in each dimension (the first is the whole panel).
    /// </summary>
    public IReadOnlyList<FilterDecision> All { get; }

    /// <summary>Computes the plan of a panel.</summary>
    /// <param name="responses">The panel's answers and what is known of each respondent.</param>
    /// <param name="threshold">The threshold N, at least 1 (1 suppresses nothing).</param>
    /// <exception cref="ArgumentOutOfRangeException">A threshold below 1.</exception>
    public static SecrecyPlan Build(ResponseSet responses, int threshold = DefaultThreshold)
    {
        ArgumentNullException.ThrowIfNull(responses);
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);

        var respondents = responses.Respondents;
        var types = Present(respondents.Select(r => PanelFilter.Known(r.Type)));
        var regions = Present(respondents.Select(r => PanelFilter.Known(r.Region)));
        var bandIndex = respondents.Select(r => Publication.PopulationBands.Of(r.Population) is { } band ? Publication.PopulationBands.IndexOf(band.Id) : -1).ToArray();
        var presentBands = bandIndex.Where(i => i >= 0).Distinct().Order().ToArray();
        var bands = presentBands.Select(i => Publication.PopulationBands.All[i].Id).ToList();

        // Per dimension, the position of each value: the categories below, and Decide's coordinates.
        Dictionary<string, int>[] valueIndex = [Index(types), Index(regions), Index(bands)];
        var typeIndex = valueIndex[0];
        var regionIndex = valueIndex[1];
        var bandPosition = new int[Publication.PopulationBands.All.Count];
        for (var i = 0; i < presentBands.Length; i++)
        {
            bandPosition[presentBands[i]] = i;
        }

        // Category of each respondent per dimension; « non renseigné » is the category after the values.
        var categories = new int[respondents.Count][];
        for (var r = 0; r < respondents.Count; r++)
        {
            categories[r] =
            [
                PanelFilter.Known(respondents[r].Type) is { } type ? typeIndex[type] : types.Count,
                PanelFilter.Known(respondents[r].Region) is { } region ? regionIndex[region] : regions.Count,
                bandIndex[r] >= 0 ? bandPosition[bandIndex[r]] : bands.Count,
            ];
        }
        var hasUnknown = new bool[FilterLattice.Dimensions];
        int[] valueCounts = [types.Count, regions.Count, bands.Count];
        foreach (var category in categories)
        {
            for (var d = 0; d < FilterLattice.Dimensions; d++)
            {
                hasUnknown[d] |= category[d] == valueCounts[d];
            }
        }
        var lattice = new FilterLattice(valueCounts, hasUnknown);

        // Counts per cell of every family: 0 is the filter itself (everybody), then one per figure.
        var figures = FigurePopulations.Ids(responses.Model);
        var counts = new int[figures.Count + 1][];
        for (var f = 0; f < counts.Length; f++)
        {
            counts[f] = new int[lattice.CellCount];
        }
        var member = new bool[figures.Count];
        var scored = new bool[responses.Model.Themes.Count];
        for (var r = 0; r < respondents.Count; r++)
        {
            var cell = lattice.Cell(categories[r]);
            counts[0][cell]++;
            FigurePopulations.Fill(responses, r, member, scored);
            for (var f = 0; f < figures.Count; f++)
            {
                if (member[f])
                {
                    counts[f + 1][cell]++;
                }
            }
        }

        return Decided(threshold, types, regions, bands, valueIndex, lattice, figures, counts, withheld: null);
    }

    /// <summary>
    /// Decides every family from its counts per cell (index 0: the filter itself, then one per figure) and gathers the
    /// decisions by filter. <paramref name="withheld"/> marks figures whose population is not known: hidden wherever
    /// their filter is shown.
    /// </summary>
    private static SecrecyPlan Decided(
        int threshold, List<string> types, List<string> regions, List<string> bands, Dictionary<string, int>[] valueIndex,
        FilterLattice lattice, List<string> figures, int[][] counts, bool[]? withheld)
    {
        var filters = FamilySecrecy.Decide(lattice, counts[0], threshold, forced: null);
        var forced = filters.Select(status => status == GroupStatus.Suppressed).ToArray();
        // Families with the same counts per cell get the same decisions: decide each distinct one once.
        // (Deciding them in parallel was slower on a 2-core machine: the work is allocation-bound.)
        var distinct = new Dictionary<ArrayKey<int>, int>();
        var representative = new List<int>();
        var familyOf = new int[figures.Count];
        for (var f = 0; f < figures.Count; f++)
        {
            var key = new ArrayKey<int>(counts[f + 1]);
            if (!distinct.TryGetValue(key, out var family))
            {
                family = representative.Count;
                distinct.Add(key, family);
                representative.Add(f);
            }
            familyOf[f] = family;
        }
        var decided = representative.Select(f => FamilySecrecy.Decide(lattice, counts[f + 1], threshold, forced)).ToArray();
        var byFigure = familyOf.Select(family => decided[family]).ToArray();
        if (withheld is not null)
        {
            var hiddenEverywhere = Enumerable.Repeat(GroupStatus.Suppressed, lattice.NodeCount).ToArray();
            for (var f = 0; f < figures.Count; f++)
            {
                byFigure[f] = withheld[f] ? hiddenEverywhere : byFigure[f];
            }
        }

        var allFigures = new FigureSet(figures);
        var byNode = new FilterDecision[lattice.NodeCount];
        for (var node = 0; node < lattice.NodeCount; node++)
        {
            if (!lattice.IsReal(node))
            {
                continue;
            }
            var coordinates = lattice.Coordinates(node);
            var filter = new PanelFilter(
                coordinates[0] < 0 ? null : types[coordinates[0]],
                coordinates[1] < 0 ? null : regions[coordinates[1]],
                coordinates[2] < 0 ? null : bands[coordinates[2]]);
            var size = 0;
            foreach (var cell in lattice.Cells(node))
            {
                size += counts[0][cell];
            }
            byNode[node] = filters[node] switch
            {
                GroupStatus.Suppressed => new FilterDecision(filter, size, true, allFigures),
                GroupStatus.Empty => new FilterDecision(filter, 0, false, FigureSet.Empty),
                _ => new FilterDecision(filter, size, false, HiddenFigures(node)),
            };
        }
        return new SecrecyPlan(threshold, types, regions, bands, figures, valueIndex, lattice, byNode);

        IReadOnlySet<string> HiddenFigures(int node)
        {
            var hidden = Enumerable.Range(0, figures.Count).Where(f => byFigure[f][node] == GroupStatus.Suppressed).Select(f => figures[f]).ToList();
            return hidden.Count == 0 ? FigureSet.Empty : new FigureSet(hidden);
        }
    }

    /// <summary>
    /// The decision for any filter. A filter with a value the panel does not have (or an unknown band id)
    /// matches nobody: 0 respondents, not suppressed, nothing to show.
    /// </summary>
    public FilterDecision Decide(PanelFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        string?[] values = [filter.Type, filter.Region, filter.PopulationBand];
        Span<int> coordinates = stackalloc int[FilterLattice.Dimensions];
        for (var d = 0; d < FilterLattice.Dimensions; d++)
        {
            if (values[d] is null)
            {
                coordinates[d] = -1;
            }
            else if (_valueIndex[d].TryGetValue(values[d]!, out var index))
            {
                coordinates[d] = index;
            }
            else
            {
                return new FilterDecision(filter, 0, false, FigureSet.Empty);
            }
        }
        return _byNode[_lattice.Node(coordinates)];
    }

    private static List<string> Present(IEnumerable<string?> values) =>
        [.. values.OfType<string>().Distinct(StringComparer.Ordinal).Order(FrenchValueOrder.Instance)];

    private static Dictionary<string, int> Index(List<string> values) =>
        values.Select((value, i) => (value, i)).ToDictionary(x => x.value, x => x.i, StringComparer.Ordinal);
}
