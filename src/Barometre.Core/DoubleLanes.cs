using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Barometre.Core;

/// <summary>
/// The operations a kernel applies to independent lanes of doubles (one point, one replicate per lane), for
/// one <see cref="VectorPath"/>: a kernel written once over <c>TLanes</c> runs as 8, 4 or 2 lanes per register or
/// as plain scalars, each lane performing the same sequence of IEEE operations, so every path gives the same bits.
/// </summary>
/// <remarks>
/// No fused multiply-add: the 128-bit and scalar paths may lack it, and it would round differently.
/// <see cref="Min"/> and <see cref="Max"/> follow <see cref="Math.Min(double, double)"/> and
/// <see cref="Math.Max(double, double)"/> (NaN propagated, −0 below +0) on every path.
/// </remarks>
/// <typeparam name="TVector">The register type: <see cref="Vector512{T}"/>, <see cref="Vector256{T}"/>, <see cref="Vector128{T}"/> or <see cref="double"/>.</typeparam>
internal interface IDoubleLanes<TVector>
    where TVector : struct
{
    /// <summary>Lanes per register.</summary>
    static abstract int Count { get; }

    static abstract TVector Create(double value);

    static abstract TVector Load(ref double source, nuint offset);

    static abstract void Store(TVector value, ref double destination, nuint offset);

    static abstract TVector Add(TVector left, TVector right);

    static abstract TVector Subtract(TVector left, TVector right);

    static abstract TVector Multiply(TVector left, TVector right);

    static abstract TVector Min(TVector left, TVector right);

    static abstract TVector Max(TVector left, TVector right);

    /// <summary>Per lane, <paramref name="ifLess"/> where <paramref name="left"/> &lt; <paramref name="right"/>, else <paramref name="otherwise"/>.</summary>
    static abstract TVector SelectWhereLess(TVector left, TVector right, TVector ifLess, TVector otherwise);

    static abstract double GetElement(TVector value, int lane);
}

/// <summary>The lanes of <see cref="VectorPath.Vector512"/>: eight doubles per register.</summary>
internal readonly struct Lanes512 : IDoubleLanes<Vector512<double>>
{
    public static int Count => Vector512<double>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Create(double value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Load(ref double source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<double> value, ref double destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Add(Vector512<double> left, Vector512<double> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Subtract(Vector512<double> left, Vector512<double> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Multiply(Vector512<double> left, Vector512<double> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Min(Vector512<double> left, Vector512<double> right) => Vector512.Min(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Max(Vector512<double> left, Vector512<double> right) => Vector512.Max(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> SelectWhereLess(Vector512<double> left, Vector512<double> right, Vector512<double> ifLess, Vector512<double> otherwise) =>
        Vector512.ConditionalSelect(Vector512.LessThan(left, right), ifLess, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double GetElement(Vector512<double> value, int lane) => value.GetElement(lane);
}

/// <summary>The lanes of <see cref="VectorPath.Vector256"/>: four doubles per register.</summary>
internal readonly struct Lanes256 : IDoubleLanes<Vector256<double>>
{
    public static int Count => Vector256<double>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Create(double value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Load(ref double source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<double> value, ref double destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Add(Vector256<double> left, Vector256<double> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Subtract(Vector256<double> left, Vector256<double> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Multiply(Vector256<double> left, Vector256<double> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Min(Vector256<double> left, Vector256<double> right) => Vector256.Min(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Max(Vector256<double> left, Vector256<double> right) => Vector256.Max(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> SelectWhereLess(Vector256<double> left, Vector256<double> right, Vector256<double> ifLess, Vector256<double> otherwise) =>
        Vector256.ConditionalSelect(Vector256.LessThan(left, right), ifLess, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double GetElement(Vector256<double> value, int lane) => value.GetElement(lane);
}

/// <summary>The lanes of <see cref="VectorPath.Vector128"/>: two doubles per register.</summary>
internal readonly struct Lanes128 : IDoubleLanes<Vector128<double>>
{
    public static int Count => Vector128<double>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Create(double value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Load(ref double source, nuint offset) => Vector128.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<double> value, ref double destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Add(Vector128<double> left, Vector128<double> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Subtract(Vector128<double> left, Vector128<double> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Multiply(Vector128<double> left, Vector128<double> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Min(Vector128<double> left, Vector128<double> right) => Vector128.Min(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Max(Vector128<double> left, Vector128<double> right) => Vector128.Max(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> SelectWhereLess(Vector128<double> left, Vector128<double> right, Vector128<double> ifLess, Vector128<double> otherwise) =>
        Vector128.ConditionalSelect(Vector128.LessThan(left, right), ifLess, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double GetElement(Vector128<double> value, int lane) => value.GetElement(lane);
}

/// <summary>
/// The lanes of <see cref="VectorPath.Scalar"/>: two plain doubles, no vector type. Two independent lanes keep
/// two chains of additions in flight where one lane would wait for each addition to finish.
/// </summary>
internal readonly struct ScalarLanes : IDoubleLanes<ScalarLanes.Pair>
{
    public static int Count => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pair Create(double value) => new(value, value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pair Load(ref double source, nuint offset) => new(Unsafe.Add(ref source, offset), Unsafe.Add(ref source, offset + 1));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Pair value, ref double destination, nuint offset)
    {
        Unsafe.Add(ref destination, offset) = value.First;
        Unsafe.Add(ref destination, offset + 1) = value.Second;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pair Add(Pair left, Pair right) => new(left.First + right.First, left.Second + right.Second);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pair Subtract(Pair left, Pair right) => new(left.First - right.First, left.Second - right.Second);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pair Multiply(Pair left, Pair right) => new(left.First * right.First, left.Second * right.Second);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pair Min(Pair left, Pair right) => new(Math.Min(left.First, right.First), Math.Min(left.Second, right.Second));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pair Max(Pair left, Pair right) => new(Math.Max(left.First, right.First), Math.Max(left.Second, right.Second));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Pair SelectWhereLess(Pair left, Pair right, Pair ifLess, Pair otherwise) => new(
        left.First < right.First ? ifLess.First : otherwise.First,
        left.Second < right.Second ? ifLess.Second : otherwise.Second);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double GetElement(Pair value, int lane) => lane == 0 ? value.First : value.Second;

    /// <summary>Two lanes as two doubles.</summary>
    internal readonly record struct Pair(double First, double Second);
}
