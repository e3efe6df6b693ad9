namespace Barometre.Core.Publication;

/// <summary>
/// The lattice of filters over the three dimensions (type, region, population band) and the finest cells
/// of the panel's partition.
/// </summary>
/// <remarks>
/// <para>
/// Dimension d has <c>V_d</c> values present in the panel (categories 0..V_d − 1) and, when some respondent
/// has no value for it, one more category V_d, « non renseigné ». A cell fixes a category in every
/// dimension, so that the cells partition the panel and every group is a union of cells.
/// </para>
/// <para>
/// A node fixes, in each dimension, one category or nothing (coordinate −1, « all »); its group is the
/// union of the cells that agree with it. Nodes that fix no « non renseigné » category are real: they are
/// the filters offered. The others are virtual: never offered, but their groups are still groups an
/// attacker might isolate (for example the whole panel minus every offered region is the set of
/// respondents without a region), so the secrecy rules protect them too.
/// </para>
/// <para>
/// Nodes are numbered type-major with « all » first in each dimension, which is also the order of
/// <see cref="SecrecyPlan.All"/>; node 0 is the whole panel.
/// </para>
/// </remarks>
internal sealed class FilterLattice
{
    public const int Dimensions = 3;

    private readonly int[] _nodeStride = new int[Dimensions];
    private readonly int[] _cellStride = new int[Dimensions];
    private readonly int[][] _coordinates;
    private readonly int[][] _cells;

    /// <param name="valueCounts">Values present per dimension.</param>
    /// <param name="hasUnknown">Per dimension, whether some respondent has no value.</param>
    public FilterLattice(IReadOnlyList<int> valueCounts, IReadOnlyList<bool> hasUnknown)
    {
        ValueCounts = [.. valueCounts];
        Categories = [.. valueCounts.Select((count, d) => count + (hasUnknown[d] ? 1 : 0))];
        NodeCount = 1;
        CellCount = 1;
        for (var d = Dimensions - 1; d >= 0; d--)
        {
            _nodeStride[d] = NodeCount;
            _cellStride[d] = CellCount;
            NodeCount *= Categories[d] + 1;
            CellCount *= Categories[d];
        }

        _coordinates = new int[NodeCount][];
        _cells = new int[NodeCount][];
        for (var node = 0; node < NodeCount; node++)
        {
            var coordinates = new int[Dimensions];
            for (var d = 0; d < Dimensions; d++)
            {
                coordinates[d] = (node / _nodeStride[d] % (Categories[d] + 1)) - 1;
            }
            _coordinates[node] = coordinates;
            _cells[node] = CellsOf(coordinates);
        }
    }

    /// <summary>Values present per dimension (the « non renseigné » category, when any, is number V_d).</summary>
    public int[] ValueCounts { get; }

    /// <summary>Categories per dimension: the values present, plus « non renseigné » when some respondent lacks one.</summary>
    public int[] Categories { get; }

    public int NodeCount { get; }

    public int CellCount { get; }

    /// <summary>The node's category per dimension, −1 for « all ».</summary>
    public ReadOnlySpan<int> Coordinates(int node) => _coordinates[node];

    /// <summary>The cells of the node's group, increasing.</summary>
    public ReadOnlySpan<int> Cells(int node) => _cells[node];

    /// <summary>Whether the node is an offered filter (it fixes no « non renseigné » category).</summary>
    public bool IsReal(int node)
    {
        var coordinates = _coordinates[node];
        for (var d = 0; d < Dimensions; d++)
        {
            if (coordinates[d] >= ValueCounts[d])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The node with these coordinates (−1 = all).</summary>
    public int Node(ReadOnlySpan<int> coordinates)
    {
        var node = 0;
        for (var d = 0; d < Dimensions; d++)
        {
            node += (coordinates[d] + 1) * _nodeStride[d];
        }
        return node;
    }

    /// <summary>The node equal to <paramref name="node"/> except in dimension <paramref name="dimension"/>, where it fixes <paramref name="category"/> (−1 = all).</summary>
    public int WithCoordinate(int node, int dimension, int category) =>
        node + ((category - _coordinates[node][dimension]) * _nodeStride[dimension]);

    /// <summary>The cell of a respondent from its category per dimension.</summary>
    public int Cell(ReadOnlySpan<int> categories)
    {
        var cell = 0;
        for (var d = 0; d < Dimensions; d++)
        {
            cell += categories[d] * _cellStride[d];
        }
        return cell;
    }

    /// <summary>The category per dimension of a cell.</summary>
    public int[] CellCategories(int cell)
    {
        var categories = new int[Dimensions];
        for (var d = 0; d < Dimensions; d++)
        {
            categories[d] = cell / _cellStride[d] % Categories[d];
        }
        return categories;
    }

    private int[] CellsOf(int[] coordinates)
    {
        IEnumerable<int> cells = [0];
        for (var d = 0; d < Dimensions; d++)
        {
            var stride = _cellStride[d];
            int[] categories = coordinates[d] < 0 ? [.. Enumerable.Range(0, Categories[d])] : [coordinates[d]];
            cells = [.. cells.SelectMany(cell => categories.Select(category => cell + (category * stride)))];
        }
        return [.. cells.Order()];
    }
}
