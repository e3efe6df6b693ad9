using System.Runtime.CompilerServices;

namespace Barometre.Core;

/// <summary>
/// Fibonacci hashing: a key times 2⁶⁴/φ keeps, in its top bits, a well-spread slot of a table whose size is a
/// power of two, even for keys that differ only in their high bits (the bit patterns of doubles such as 37.5
/// and 62.5). The one home of the golden-ratio multiplier.
/// </summary>
internal static class FibonacciHash
{
    /// <summary>2⁶⁴/φ rounded to odd: 0x9E3779B97F4A7C15, also SplitMix64's increment.</summary>
    public const ulong Multiplier = 0x9E3779B97F4A7C15UL;

    /// <summary>The slot of <paramref name="key"/> in a table of 2^<paramref name="bits"/> entries (1 ≤ bits ≤ 31).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Slot(long key, int bits) => (int)(((ulong)key * Multiplier) >> (64 - bits));
}
