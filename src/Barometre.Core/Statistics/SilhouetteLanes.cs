using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Barometre.Core.Statistics;

/// <summary>
/// Doubles of one register of a vector path (or one double on the scalar path), as the silhouette's kernels use them:
/// the kernels are written once over this interface and compiled for each width, lane by lane with the same IEEE
/// operations (no fused multiply-add: the 128-bit and scalar paths may lack it), so every path gives the same bits.
/// </summary>
internal interface IDoubleLanes<TSelf>
    where TSelf : struct, IDoubleLanes<TSelf>
{
    /// <summary>Doubles per register.</summary>
    static abstract int Count { get; }

    static abstract TSelf Zero { get; }

    static abstract TSelf Load(ref double source);

    static abstract TSelf Broadcast(double value);

    static abstract TSelf operator +(TSelf left, TSelf right);

    static abstract TSelf operator -(TSelf left, TSelf right);

    static abstract TSelf operator *(TSelf left, TSelf right);

    static abstract TSelf Sqrt(TSelf value);

    void Store(ref double destination);

    /// <summary>
    /// Adds lane k to the running sum <c>Unsafe.Add(ref quad, k % 4)</c>, lanes in increasing order: a row's sums over
    /// its columns are four running sums (column j to sum j mod 4), whatever the width.
    /// </summary>
    void AddToQuad(ref double quad);
}

/// <summary>
/// Whole lattice coordinates of one register (two 16-bit coordinates per 32-bit lane, one column per lane) and the
/// exact squared distances computed from them; <typeparamref name="TDouble"/> holds half as many lanes.
/// </summary>
internal interface ILatticeLanes<TSelf, TDouble>
    where TSelf : struct, ILatticeLanes<TSelf, TDouble>
    where TDouble : struct, IDoubleLanes<TDouble>
{
    /// <summary>Columns per register.</summary>
    static abstract int Count { get; }

    static abstract TSelf Zero { get; }

    static abstract TSelf Load(ref int source);

    static abstract TSelf Broadcast(int value);

    /// <summary><paramref name="sums"/> plus, per lane, the squares of the two 16-bit differences columns − row.</summary>
    static abstract TSelf AddSquares(TSelf sums, TSelf columns, TSelf row);

    /// <summary>unit × √s per lane (<see cref="Silhouette.LatticeRoot"/>), lanes 0..Count/2−1 in lower, the rest in upper.</summary>
    static abstract void Roots(TSelf squares, TDouble unit, float halfUnit, out TDouble lower, out TDouble upper);
}

/// <summary>One double: the scalar path.</summary>
internal readonly struct ScalarLanes(double value) : IDoubleLanes<ScalarLanes>
{
    private readonly double _value = value;

    public static int Count => 1;

    public static ScalarLanes Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLanes Load(ref double source) => new(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLanes Broadcast(double value) => new(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLanes operator +(ScalarLanes left, ScalarLanes right) => new(left._value + right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLanes operator -(ScalarLanes left, ScalarLanes right) => new(left._value - right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLanes operator *(ScalarLanes left, ScalarLanes right) => new(left._value * right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLanes Sqrt(ScalarLanes value) => new(Math.Sqrt(value._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref double destination) => destination = _value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddToQuad(ref double quad) => quad += _value;
}

/// <summary>Two doubles: the 128-bit path.</summary>
internal readonly struct Lanes128(Vector128<double> value) : IDoubleLanes<Lanes128>
{
    public Vector128<double> Value { get; } = value;

    public static int Count => Vector128<double>.Count;

    public static Lanes128 Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 Load(ref double source) => new(Vector128.LoadUnsafe(ref source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 Broadcast(double value) => new(Vector128.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 operator +(Lanes128 left, Lanes128 right) => new(left.Value + right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 operator -(Lanes128 left, Lanes128 right) => new(left.Value - right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 operator *(Lanes128 left, Lanes128 right) => new(left.Value * right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 Sqrt(Lanes128 value) => new(Vector128.Sqrt(value.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref double destination) => Value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddToQuad(ref double quad) => (Vector128.LoadUnsafe(ref quad) + Value).StoreUnsafe(ref quad);
}

/// <summary>Four doubles: the 256-bit path.</summary>
internal readonly struct Lanes256(Vector256<double> value) : IDoubleLanes<Lanes256>
{
    public Vector256<double> Value { get; } = value;

    public static int Count => Vector256<double>.Count;

    public static Lanes256 Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Load(ref double source) => new(Vector256.LoadUnsafe(ref source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Broadcast(double value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator +(Lanes256 left, Lanes256 right) => new(left.Value + right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator -(Lanes256 left, Lanes256 right) => new(left.Value - right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator *(Lanes256 left, Lanes256 right) => new(left.Value * right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Sqrt(Lanes256 value) => new(Vector256.Sqrt(value.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref double destination) => Value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddToQuad(ref double quad) => (Vector256.LoadUnsafe(ref quad) + Value).StoreUnsafe(ref quad);
}

/// <summary>Eight doubles: the 512-bit path.</summary>
internal readonly struct Lanes512(Vector512<double> value) : IDoubleLanes<Lanes512>
{
    public Vector512<double> Value { get; } = value;

    public static int Count => Vector512<double>.Count;

    public static Lanes512 Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Load(ref double source) => new(Vector512.LoadUnsafe(ref source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Broadcast(double value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator +(Lanes512 left, Lanes512 right) => new(left.Value + right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator -(Lanes512 left, Lanes512 right) => new(left.Value - right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator *(Lanes512 left, Lanes512 right) => new(left.Value * right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Sqrt(Lanes512 value) => new(Vector512.Sqrt(value.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref double destination) => Value.StoreUnsafe(ref destination);

    /// <summary>Lanes 0–3 then lanes 4–7 into the four sums: two additions per sum, in column order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddToQuad(ref double quad) => (Vector256.LoadUnsafe(ref quad) + Value.GetLower() + Value.GetUpper()).StoreUnsafe(ref quad);
}

/// <summary>Four columns of whole coordinates: the 128-bit path.</summary>
internal readonly struct LatticeLanes128(Vector128<int> value) : ILatticeLanes<LatticeLanes128, Lanes128>
{
    private readonly Vector128<int> _value = value;

    public static int Count => Vector128<int>.Count;

    public static LatticeLanes128 Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LatticeLanes128 Load(ref int source) => new(Vector128.LoadUnsafe(ref source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LatticeLanes128 Broadcast(int value) => new(Vector128.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LatticeLanes128 AddSquares(LatticeLanes128 sums, LatticeLanes128 columns, LatticeLanes128 row)
    {
        var differences = (columns._value.AsInt16() - row._value.AsInt16()).AsInt32();
        if (Sse2.IsSupported)
        {
            return new(sums._value + Sse2.MultiplyAddAdjacent(differences.AsInt16(), differences.AsInt16()));
        }
        var low = Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(differences, 16), 16);
        var high = Vector128.ShiftRightArithmetic(differences, 16);
        return new(sums._value + (low * low) + (high * high));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Roots(LatticeLanes128 squares, Lanes128 unit, float halfUnit, out Lanes128 lower, out Lanes128 upper)
    {
        var exact = Vector128.ConvertToSingle(squares._value);
        var root = Vector128.Sqrt(exact);
        var (rootLower, rootUpper) = Vector128.Widen(root);
        Vector128<float> residual;
        if (Fma.IsSupported || AdvSimd.IsSupported)
        {
            residual = Vector128.FusedMultiplyAdd(-root, root, exact);
        }
        else
        {
            // s − r² is exact in double (r has 24 bits) and representable in single precision: the same value.
            var (exactLower, exactUpper) = Vector128.Widen(exact);
            residual = Vector128.Narrow(exactLower - (rootLower * rootLower), exactUpper - (rootUpper * rootUpper));
        }
        var correction = residual * (Vector128.Create(halfUnit) / Vector128.Max(root, Vector128.Create(Silhouette.SmallestNormal)));
        var (correctionLower, correctionUpper) = Vector128.Widen(correction);
        lower = new((rootLower * unit.Value) + correctionLower);
        upper = new((rootUpper * unit.Value) + correctionUpper);
    }
}

/// <summary>Eight columns of whole coordinates: the 256-bit path.</summary>
internal readonly struct LatticeLanes256(Vector256<int> value) : ILatticeLanes<LatticeLanes256, Lanes256>
{
    private readonly Vector256<int> _value = value;

    public static int Count => Vector256<int>.Count;

    public static LatticeLanes256 Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LatticeLanes256 Load(ref int source) => new(Vector256.LoadUnsafe(ref source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LatticeLanes256 Broadcast(int value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LatticeLanes256 AddSquares(LatticeLanes256 sums, LatticeLanes256 columns, LatticeLanes256 row)
    {
        var differences = (columns._value.AsInt16() - row._value.AsInt16()).AsInt32();
        if (Avx2.IsSupported)
        {
            return new(sums._value + Avx2.MultiplyAddAdjacent(differences.AsInt16(), differences.AsInt16()));
        }
        var low = Vector256.ShiftRightArithmetic(Vector256.ShiftLeft(differences, 16), 16);
        var high = Vector256.ShiftRightArithmetic(differences, 16);
        return new(sums._value + (low * low) + (high * high));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Roots(LatticeLanes256 squares, Lanes256 unit, float halfUnit, out Lanes256 lower, out Lanes256 upper)
    {
        var exact = Vector256.ConvertToSingle(squares._value);
        var root = Vector256.Sqrt(exact);
        var (rootLower, rootUpper) = Vector256.Widen(root);
        Vector256<float> residual;
        if (Fma.IsSupported)
        {
            residual = Vector256.FusedMultiplyAdd(-root, root, exact);
        }
        else
        {
            var (exactLower, exactUpper) = Vector256.Widen(exact);
            residual = Vector256.Narrow(exactLower - (rootLower * rootLower), exactUpper - (rootUpper * rootUpper));
        }
        var correction = residual * (Vector256.Create(halfUnit) / Vector256.Max(root, Vector256.Create(Silhouette.SmallestNormal)));
        var (correctionLower, correctionUpper) = Vector256.Widen(correction);
        lower = new((rootLower * unit.Value) + correctionLower);
        upper = new((rootUpper * unit.Value) + correctionUpper);
    }
}

/// <summary>Sixteen columns of whole coordinates: the 512-bit path.</summary>
internal readonly struct LatticeLanes512(Vector512<int> value) : ILatticeLanes<LatticeLanes512, Lanes512>
{
    private readonly Vector512<int> _value = value;

    public static int Count => Vector512<int>.Count;

    public static LatticeLanes512 Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LatticeLanes512 Load(ref int source) => new(Vector512.LoadUnsafe(ref source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LatticeLanes512 Broadcast(int value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LatticeLanes512 AddSquares(LatticeLanes512 sums, LatticeLanes512 columns, LatticeLanes512 row)
    {
        var differences = (columns._value.AsInt16() - row._value.AsInt16()).AsInt32();
        if (Avx512BW.IsSupported)
        {
            return new(sums._value + Avx512BW.MultiplyAddAdjacent(differences.AsInt16(), differences.AsInt16()));
        }
        var low = Vector512.ShiftRightArithmetic(Vector512.ShiftLeft(differences, 16), 16);
        var high = Vector512.ShiftRightArithmetic(differences, 16);
        return new(sums._value + (low * low) + (high * high));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Roots(LatticeLanes512 squares, Lanes512 unit, float halfUnit, out Lanes512 lower, out Lanes512 upper)
    {
        var exact = Vector512.ConvertToSingle(squares._value);
        var root = Vector512.Sqrt(exact);
        var (rootLower, rootUpper) = Vector512.Widen(root);
        // Every processor with AVX-512 has FMA; s − r² is exact either way.
        var residual = Vector512.FusedMultiplyAdd(-root, root, exact);
        var correction = residual * (Vector512.Create(halfUnit) / Vector512.Max(root, Vector512.Create(Silhouette.SmallestNormal)));
        var (correctionLower, correctionUpper) = Vector512.Widen(correction);
        lower = new((rootLower * unit.Value) + correctionLower);
        upper = new((rootUpper * unit.Value) + correctionUpper);
    }
}
