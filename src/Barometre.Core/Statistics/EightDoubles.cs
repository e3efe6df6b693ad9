using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Barometre.Core.Statistics;

/// <summary>
/// Eight logical lanes of doubles, held as the registers of one <see cref="VectorPath"/>: a kernel written once
/// over this interface adds, lane by lane, in the same order on every path, so every path gives the same bits.
/// </summary>
/// <remarks>
/// Multiplications and additions stay separate (never fused): 128-bit x86 and scalar processors may lack FMA, and the
/// results must not depend on it. The methods are meant to be inlined into the caller's loop (struct type argument).
/// </remarks>
internal interface IEightDoubles<TSelf>
    where TSelf : struct, IEightDoubles<TSelf>
{
    /// <summary>Eight consecutive doubles from <paramref name="source"/> on.</summary>
    static abstract TSelf Load(ref double source);

    /// <summary>Eight consecutive non-negative 16- or 32-bit integers from <paramref name="source"/> on, as doubles (exact).</summary>
    static abstract TSelf LoadIntegers<TInteger>(ref TInteger source)
        where TInteger : unmanaged;

    /// <summary>Lane by lane, <paramref name="left"/> + <paramref name="right"/>.</summary>
    static abstract TSelf Add(TSelf left, TSelf right);

    /// <summary>Each lane times <paramref name="factor"/>.</summary>
    static abstract TSelf Multiply(TSelf lanes, double factor);

    /// <summary>Each lane of <paramref name="lanes"/>, or +0 where that lane of <paramref name="mask"/> is 0.</summary>
    static abstract TSelf ZeroWhereZero(TSelf lanes, TSelf mask);

    /// <summary>Writes the eight lanes to <paramref name="destination"/> and the seven doubles after it.</summary>
    static abstract void Store(TSelf lanes, ref double destination);

    /// <summary>The sum of the lanes as ((0 + 1) + (2 + 3)) + ((4 + 5) + (6 + 7)).</summary>
    static abstract double Total(TSelf lanes);
}

/// <summary>
/// The eight lanes as two 256-bit registers, lanes 0–3 and 4–7. Also the 512-bit path's choice: the kernels that
/// take it are bound by loads and integer conversions, which AVX-512 does not make faster per lane.
/// </summary>
internal readonly struct EightDoubles256(Vector256<double> low, Vector256<double> high) : IEightDoubles<EightDoubles256>
{
    private readonly Vector256<double> _low = low, _high = high;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EightDoubles256 Load(ref double source) =>
        new(Vector256.LoadUnsafe(ref source), Vector256.LoadUnsafe(ref source, 4));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EightDoubles256 LoadIntegers<TInteger>(ref TInteger source)
        where TInteger : unmanaged
    {
        Vector256<int> integers;
        if (typeof(TInteger) == typeof(ushort))
        {
            integers = Vector256.WidenLower(Vector128.LoadUnsafe(ref Unsafe.As<TInteger, ushort>(ref source)).ToVector256Unsafe()).AsInt32();
        }
        else
        {
            integers = Vector256.LoadUnsafe(ref Unsafe.As<TInteger, int>(ref source));
        }
        if (Avx.IsSupported)
        {
            return new(Avx.ConvertToVector256Double(integers.GetLower()), Avx.ConvertToVector256Double(integers.GetUpper()));
        }
        var (low, high) = Vector256.Widen(integers);
        return new(Vector256.ConvertToDouble(low), Vector256.ConvertToDouble(high));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EightDoubles256 Add(EightDoubles256 left, EightDoubles256 right) => new(left._low + right._low, left._high + right._high);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EightDoubles256 Multiply(EightDoubles256 lanes, double factor)
    {
        var scale = Vector256.Create(factor);
        return new(lanes._low * scale, lanes._high * scale);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EightDoubles256 ZeroWhereZero(EightDoubles256 lanes, EightDoubles256 mask) =>
        new(Vector256.AndNot(lanes._low, Vector256.Equals(mask._low, Vector256<double>.Zero)),
            Vector256.AndNot(lanes._high, Vector256.Equals(mask._high, Vector256<double>.Zero)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(EightDoubles256 lanes, ref double destination)
    {
        lanes._low.StoreUnsafe(ref destination);
        lanes._high.StoreUnsafe(ref destination, 4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Total(EightDoubles256 lanes) =>
        ((lanes._low[0] + lanes._low[1]) + (lanes._low[2] + lanes._low[3])) + ((lanes._high[0] + lanes._high[1]) + (lanes._high[2] + lanes._high[3]));
}

/// <summary>The eight lanes as four 128-bit registers (SSE2 and later on x86, AdvSimd on ARM64).</summary>
internal readonly struct EightDoubles128(Vector128<double> lanes01, Vector128<double> lanes23, Vector128<double> lanes45, Vector128<double> lanes67)
    : IEightDoubles<EightDoubles128>
{
    private readonly Vector128<double> _01 = lanes01, _23 = lanes23, _45 = lanes45, _67 = lanes67;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EightDoubles128 Load(ref double source) =>
        new(Vector128.LoadUnsafe(ref source), Vector128.LoadUnsafe(ref source, 2), Vector128.LoadUnsafe(ref source, 4), Vector128.LoadUnsafe(ref source, 6));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EightDoubles128 LoadIntegers<TInteger>(ref TInteger source)
        where TInteger : unmanaged
    {
        Vector128<int> low, high;
        if (typeof(TInteger) == typeof(ushort))
        {
            var integers = Vector128.LoadUnsafe(ref Unsafe.As<TInteger, ushort>(ref source));
            (low, high) = (Vector128.WidenLower(integers).AsInt32(), Vector128.WidenUpper(integers).AsInt32());
        }
        else
        {
            ref var first = ref Unsafe.As<TInteger, int>(ref source);
            (low, high) = (Vector128.LoadUnsafe(ref first), Vector128.LoadUnsafe(ref first, 4));
        }
        var (lanes01, lanes23) = ToDoubles(low);
        var (lanes45, lanes67) = ToDoubles(high);
        return new(lanes01, lanes23, lanes45, lanes67);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static (Vector128<double> Low, Vector128<double> High) ToDoubles(Vector128<int> integers)
        {
            if (Sse2.IsSupported)
            {
                // cvtdq2pd converts the low two integers; the high two are moved down first.
                return (Sse2.ConvertToVector128Double(integers), Sse2.ConvertToVector128Double(Sse2.Shuffle(integers, 0b_11_10_11_10)));
            }
            var (low, high) = Vector128.Widen(integers);
            return (Vector128.ConvertToDouble(low), Vector128.ConvertToDouble(high));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EightDoubles128 Add(EightDoubles128 left, EightDoubles128 right) =>
        new(left._01 + right._01, left._23 + right._23, left._45 + right._45, left._67 + right._67);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EightDoubles128 Multiply(EightDoubles128 lanes, double factor)
    {
        var scale = Vector128.Create(factor);
        return new(lanes._01 * scale, lanes._23 * scale, lanes._45 * scale, lanes._67 * scale);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EightDoubles128 ZeroWhereZero(EightDoubles128 lanes, EightDoubles128 mask) =>
        new(Vector128.AndNot(lanes._01, Vector128.Equals(mask._01, Vector128<double>.Zero)),
            Vector128.AndNot(lanes._23, Vector128.Equals(mask._23, Vector128<double>.Zero)),
            Vector128.AndNot(lanes._45, Vector128.Equals(mask._45, Vector128<double>.Zero)),
            Vector128.AndNot(lanes._67, Vector128.Equals(mask._67, Vector128<double>.Zero)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(EightDoubles128 lanes, ref double destination)
    {
        lanes._01.StoreUnsafe(ref destination);
        lanes._23.StoreUnsafe(ref destination, 2);
        lanes._45.StoreUnsafe(ref destination, 4);
        lanes._67.StoreUnsafe(ref destination, 6);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Total(EightDoubles128 lanes) =>
        ((lanes._01[0] + lanes._01[1]) + (lanes._23[0] + lanes._23[1])) + ((lanes._45[0] + lanes._45[1]) + (lanes._67[0] + lanes._67[1]));
}

/// <summary>The eight lanes as eight doubles: no vector type at all, for processors without accelerated vectors.</summary>
internal readonly struct EightDoublesScalar(double lane0, double lane1, double lane2, double lane3, double lane4, double lane5, double lane6, double lane7)
    : IEightDoubles<EightDoublesScalar>
{
    private readonly double _0 = lane0, _1 = lane1, _2 = lane2, _3 = lane3, _4 = lane4, _5 = lane5, _6 = lane6, _7 = lane7;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EightDoublesScalar Load(ref double source) =>
        new(source, Unsafe.Add(ref source, 1), Unsafe.Add(ref source, 2), Unsafe.Add(ref source, 3),
            Unsafe.Add(ref source, 4), Unsafe.Add(ref source, 5), Unsafe.Add(ref source, 6), Unsafe.Add(ref source, 7));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EightDoublesScalar LoadIntegers<TInteger>(ref TInteger source)
        where TInteger : unmanaged =>
        new(At(ref source, 0), At(ref source, 1), At(ref source, 2), At(ref source, 3), At(ref source, 4), At(ref source, 5), At(ref source, 6), At(ref source, 7));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EightDoublesScalar Add(EightDoublesScalar left, EightDoublesScalar right) =>
        new(left._0 + right._0, left._1 + right._1, left._2 + right._2, left._3 + right._3,
            left._4 + right._4, left._5 + right._5, left._6 + right._6, left._7 + right._7);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EightDoublesScalar Multiply(EightDoublesScalar lanes, double factor) =>
        new(lanes._0 * factor, lanes._1 * factor, lanes._2 * factor, lanes._3 * factor,
            lanes._4 * factor, lanes._5 * factor, lanes._6 * factor, lanes._7 * factor);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EightDoublesScalar ZeroWhereZero(EightDoublesScalar lanes, EightDoublesScalar mask) =>
        new(mask._0 == 0 ? 0 : lanes._0, mask._1 == 0 ? 0 : lanes._1, mask._2 == 0 ? 0 : lanes._2, mask._3 == 0 ? 0 : lanes._3,
            mask._4 == 0 ? 0 : lanes._4, mask._5 == 0 ? 0 : lanes._5, mask._6 == 0 ? 0 : lanes._6, mask._7 == 0 ? 0 : lanes._7);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(EightDoublesScalar lanes, ref double destination)
    {
        destination = lanes._0;
        Unsafe.Add(ref destination, 1) = lanes._1;
        Unsafe.Add(ref destination, 2) = lanes._2;
        Unsafe.Add(ref destination, 3) = lanes._3;
        Unsafe.Add(ref destination, 4) = lanes._4;
        Unsafe.Add(ref destination, 5) = lanes._5;
        Unsafe.Add(ref destination, 6) = lanes._6;
        Unsafe.Add(ref destination, 7) = lanes._7;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Total(EightDoublesScalar lanes) =>
        ((lanes._0 + lanes._1) + (lanes._2 + lanes._3)) + ((lanes._4 + lanes._5) + (lanes._6 + lanes._7));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double At<TInteger>(ref TInteger source, int index)
        where TInteger : unmanaged =>
        typeof(TInteger) == typeof(ushort) ? Unsafe.Add(ref Unsafe.As<TInteger, ushort>(ref source), index) : Unsafe.Add(ref Unsafe.As<TInteger, int>(ref source), index);
}
