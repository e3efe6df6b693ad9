using System.Numerics;

namespace Barometre.Core.Publication;

/// <summary>
/// Sets of a family's nonempty cells as bit vectors (<c>ulong[]</c>, cell c at bit c mod 64 of word c / 64), as
/// <see cref="FamilySecrecy"/> handles its groups: a group is the set of its cells.
/// </summary>
internal static class CellBits
{
    /// <summary>The words a set of <paramref name="cells"/> cells takes.</summary>
    public static int Words(int cells) => (cells + 63) / 64;

    /// <summary>Adds the cell to the set.</summary>
    public static void Add(ulong[] bits, int cell) => bits[cell >> 6] |= 1UL << cell;

    /// <summary>The set of one cell.</summary>
    public static ulong[] Single(int cell, int words)
    {
        var bits = new ulong[words];
        Add(bits, cell);
        return bits;
    }

    /// <summary>Whether every cell of <paramref name="small"/> is in <paramref name="large"/>.</summary>
    public static bool IsSubset(ulong[] small, ulong[] large)
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

    /// <summary>Whether the two sets share a cell.</summary>
    public static bool Intersects(ulong[] a, ulong[] b)
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

    /// <summary>Takes the cells of <paramref name="removed"/> out of <paramref name="target"/>.</summary>
    public static void AndNot(ulong[] target, ulong[] removed)
    {
        for (var w = 0; w < target.Length; w++)
        {
            target[w] &= ~removed[w];
        }
    }

    /// <summary>Whether the set holds the cell.</summary>
    public static bool Has(ulong[] bits, int cell) => (bits[cell >> 6] & (1UL << cell)) != 0;

    /// <summary>The number of cells in the set.</summary>
    public static int PopCount(ulong[] bits) => bits.Sum(BitOperations.PopCount);

    /// <summary>The set's first cell, or −1 when it is empty.</summary>
    public static int FirstBit(ulong[] bits)
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
}
