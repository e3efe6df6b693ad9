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
internal interface IDistanceLanes<TSelf>
    where TSelf : struct, IDistanceLanes<TSelf>
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
/// exact squared distances computed from them; <typeparamref name="TSingles"/> holds as many lanes in single precision.
/// </summary>
internal interface ILatticeDistances<TSelf, TSingles>
    where TSelf : struct, ILatticeDistances<TSelf, TSingles>
{
    /// <summary>Columns per register.</summary>
    static abstract int Count { get; }

    static abstract TSelf Load(ref int source);

    static abstract TSelf Broadcast(int value);

    static abstract TSelf operator +(TSelf left, TSelf right);

    /// <summary>
    /// <paramref name="sums"/> minus, per lane, the two products of the 16-bit halves of <paramref name="columns"/> and
    /// <paramref name="row"/> (low by low, high by high): one multiply-add instruction where the hardware has it.
    /// </summary>
    static abstract TSelf SubtractProducts(TSelf sums, TSelf columns, TSelf row);

    /// <summary>
    /// Per lane, r = √s in single precision and the Newton quotient (s − r²) / max(r, 1)
    /// (<see cref="Silhouette.LatticeRoot"/>).
    /// </summary>
    static abstract TSingles Roots(TSelf squares, out TSingles quotients);
}

/// <summary>
/// Singles of one register of a vector path, as the lattice kernel uses them: roots widened to doubles (exactly), and
/// quotients added in single precision into eight logical lanes, the same on every width.
/// </summary>
internal interface ISingleLanes<TSelf, TDouble>
    where TSelf : struct, ISingleLanes<TSelf, TDouble>
    where TDouble : struct, IDistanceLanes<TDouble>
{
    static abstract TSelf operator +(TSelf left, TSelf right);

    /// <summary>The lanes as doubles (exact): lanes 0..Count/2−1 in <paramref name="lower"/>, the rest in <paramref name="upper"/>.</summary>
    static abstract void Widen(TSelf value, out TDouble lower, out TDouble upper);

    /// <summary>
    /// Adds lane k to <c>Unsafe.Add(ref octet, (column + k) % 8)</c>, lanes in increasing order: a row's quotients are
    /// eight running sums (column j to sum j mod 8), whatever the width. <paramref name="column"/> is a multiple of the
    /// register's width.
    /// </summary>
    void AddToOctet(ref float octet, int column);
}

/// <summary>One double: the scalar path.</summary>
internal readonly struct ScalarDistances(double value) : IDistanceLanes<ScalarDistances>
{
    private readonly double _value = value;

    public static int Count => 1;

    public static ScalarDistances Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarDistances Load(ref double source) => new(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarDistances Broadcast(double value) => new(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarDistances operator +(ScalarDistances left, ScalarDistances right) => new(left._value + right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarDistances operator -(ScalarDistances left, ScalarDistances right) => new(left._value - right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarDistances operator *(ScalarDistances left, ScalarDistances right) => new(left._value * right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarDistances Sqrt(ScalarDistances value) => new(Math.Sqrt(value._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref double destination) => destination = _value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddToQuad(ref double quad) => quad += _value;
}

/// <summary>Two doubles: the 128-bit path.</summary>
internal readonly struct Distances128(Vector128<double> value) : IDistanceLanes<Distances128>
{
    public Vector128<double> Value { get; } = value;

    public static int Count => Vector128<double>.Count;

    public static Distances128 Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Distances128 Load(ref double source) => new(Vector128.LoadUnsafe(ref source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Distances128 Broadcast(double value) => new(Vector128.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Distances128 operator +(Distances128 left, Distances128 right) => new(left.Value + right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Distances128 operator -(Distances128 left, Distances128 right) => new(left.Value - right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Distances128 operator *(Distances128 left, Distances128 right) => new(left.Value * right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Distances128 Sqrt(Distances128 value) => new(Vector128.Sqrt(value.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref double destination) => Value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddToQuad(ref double quad) => (Vector128.LoadUnsafe(ref quad) + Value).StoreUnsafe(ref quad);
}

/// <summary>Four doubles: the 256-bit path.</summary>
internal readonly struct Distances256(Vector256<double> value) : IDistanceLanes<Distances256>
{
    public Vector256<double> Value { get; } = value;

    public static int Count => Vector256<double>.Count;

    public static Distances256 Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Distances256 Load(ref double source) => new(Vector256.LoadUnsafe(ref source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Distances256 Broadcast(double value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Distances256 operator +(Distances256 left, Distances256 right) => new(left.Value + right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Distances256 operator -(Distances256 left, Distances256 right) => new(left.Value - right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Distances256 operator *(Distances256 left, Distances256 right) => new(left.Value * right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Distances256 Sqrt(Distances256 value) => new(Vector256.Sqrt(value.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref double destination) => Value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddToQuad(ref double quad) => (Vector256.LoadUnsafe(ref quad) + Value).StoreUnsafe(ref quad);
}

/// <summary>Eight doubles: the 512-bit path.</summary>
internal readonly struct Distances512(Vector512<double> value) : IDistanceLanes<Distances512>
{
    public Vector512<double> Value { get; } = value;

    public static int Count => Vector512<double>.Count;

    public static Distances512 Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Distances512 Load(ref double source) => new(Vector512.LoadUnsafe(ref source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Distances512 Broadcast(double value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Distances512 operator +(Distances512 left, Distances512 right) => new(left.Value + right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Distances512 operator -(Distances512 left, Distances512 right) => new(left.Value - right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Distances512 operator *(Distances512 left, Distances512 right) => new(left.Value * right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Distances512 Sqrt(Distances512 value) => new(Vector512.Sqrt(value.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref double destination) => Value.StoreUnsafe(ref destination);

    /// <summary>Lanes 0–3 then lanes 4–7 into the four sums: two additions per sum, in column order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddToQuad(ref double quad) => (Vector256.LoadUnsafe(ref quad) + Value.GetLower() + Value.GetUpper()).StoreUnsafe(ref quad);
}

/// <summary>Four columns of whole coordinates: the 128-bit path.</summary>
internal readonly struct LatticeDistances128(Vector128<int> value) : ILatticeDistances<LatticeDistances128, Singles128>
{
    private readonly Vector128<int> _value = value;

    public static int Count => Vector128<int>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LatticeDistances128 Load(ref int source) => new(Vector128.LoadUnsafe(ref source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LatticeDistances128 Broadcast(int value) => new(Vector128.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LatticeDistances128 operator +(LatticeDistances128 left, LatticeDistances128 right) => new(left._value + right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LatticeDistances128 SubtractProducts(LatticeDistances128 sums, LatticeDistances128 columns, LatticeDistances128 row)
    {
        if (Sse2.IsSupported)
        {
            return new(sums._value - Sse2.MultiplyAddAdjacent(columns._value.AsInt16(), row._value.AsInt16()));
        }
        var low = Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(columns._value, 16), 16) * Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(row._value, 16), 16);
        var high = Vector128.ShiftRightArithmetic(columns._value, 16) * Vector128.ShiftRightArithmetic(row._value, 16);
        return new(sums._value - low - high);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Singles128 Roots(LatticeDistances128 squares, out Singles128 quotients)
    {
        var exact = Vector128.ConvertToSingle(squares._value);
        var root = Vector128.Sqrt(exact);
        Vector128<float> residual;
        if (Fma.IsSupported || AdvSimd.IsSupported)
        {
            residual = Vector128.FusedMultiplyAdd(-root, root, exact);
        }
        else
        {
            // s − r² is exact in double (r has 24 bits) and representable in single precision: the same value.
            var (exactLower, exactUpper) = Vector128.Widen(exact);
            var (rootLower, rootUpper) = Vector128.Widen(root);
            residual = Vector128.Narrow(exactLower - (rootLower * rootLower), exactUpper - (rootUpper * rootUpper));
        }
        quotients = new(residual / Vector128.Max(root, Vector128<float>.One));
        return new(root);
    }
}

/// <summary>Eight columns of whole coordinates: the 256-bit path.</summary>
internal readonly struct LatticeDistances256(Vector256<int> value) : ILatticeDistances<LatticeDistances256, Singles256>
{
    private readonly Vector256<int> _value = value;

    public static int Count => Vector256<int>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LatticeDistances256 Load(ref int source) => new(Vector256.LoadUnsafe(ref source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LatticeDistances256 Broadcast(int value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LatticeDistances256 operator +(LatticeDistances256 left, LatticeDistances256 right) => new(left._value + right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LatticeDistances256 SubtractProducts(LatticeDistances256 sums, LatticeDistances256 columns, LatticeDistances256 row)
    {
        if (Avx2.IsSupported)
        {
            return new(sums._value - Avx2.MultiplyAddAdjacent(columns._value.AsInt16(), row._value.AsInt16()));
        }
        var low = Vector256.ShiftRightArithmetic(Vector256.ShiftLeft(columns._value, 16), 16) * Vector256.ShiftRightArithmetic(Vector256.ShiftLeft(row._value, 16), 16);
        var high = Vector256.ShiftRightArithmetic(columns._value, 16) * Vector256.ShiftRightArithmetic(row._value, 16);
        return new(sums._value - low - high);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Singles256 Roots(LatticeDistances256 squares, out Singles256 quotients)
    {
        var exact = Vector256.ConvertToSingle(squares._value);
        var root = Vector256.Sqrt(exact);
        Vector256<float> residual;
        if (Fma.IsSupported)
        {
            // exact − root × root, one rounding: FusedMultiplyAdd(−root, root, exact) without negating first.
            residual = Fma.MultiplyAddNegated(root, root, exact);
        }
        else
        {
            var (exactLower, exactUpper) = Vector256.Widen(exact);
            var (rootLower, rootUpper) = Vector256.Widen(root);
            residual = Vector256.Narrow(exactLower - (rootLower * rootLower), exactUpper - (rootUpper * rootUpper));
        }
        quotients = new(residual / Vector256.Max(root, Vector256<float>.One));
        return new(root);
    }
}

/// <summary>Sixteen columns of whole coordinates: the 512-bit path.</summary>
internal readonly struct LatticeDistances512(Vector512<int> value) : ILatticeDistances<LatticeDistances512, Singles512>
{
    private readonly Vector512<int> _value = value;

    public static int Count => Vector512<int>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LatticeDistances512 Load(ref int source) => new(Vector512.LoadUnsafe(ref source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LatticeDistances512 Broadcast(int value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LatticeDistances512 operator +(LatticeDistances512 left, LatticeDistances512 right) => new(left._value + right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LatticeDistances512 SubtractProducts(LatticeDistances512 sums, LatticeDistances512 columns, LatticeDistances512 row)
    {
        if (Avx512BW.IsSupported)
        {
            return new(sums._value - Avx512BW.MultiplyAddAdjacent(columns._value.AsInt16(), row._value.AsInt16()));
        }
        var low = Vector512.ShiftRightArithmetic(Vector512.ShiftLeft(columns._value, 16), 16) * Vector512.ShiftRightArithmetic(Vector512.ShiftLeft(row._value, 16), 16);
        var high = Vector512.ShiftRightArithmetic(columns._value, 16) * Vector512.ShiftRightArithmetic(row._value, 16);
        return new(sums._value - low - high);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Singles512 Roots(LatticeDistances512 squares, out Singles512 quotients)
    {
        var exact = Vector512.ConvertToSingle(squares._value);
        var root = Vector512.Sqrt(exact);
        // Every processor with AVX-512 has FMA; s − r² is exact either way.
        var residual = Vector512.FusedMultiplyAdd(-root, root, exact);
        quotients = new(residual / Vector512.Max(root, Vector512<float>.One));
        return new(root);
    }
}

/// <summary>Four singles: the 128-bit path.</summary>
internal readonly struct Singles128(Vector128<float> value) : ISingleLanes<Singles128, Distances128>
{
    public Vector128<float> Value { get; } = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Singles128 operator +(Singles128 left, Singles128 right) => new(left.Value + right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Widen(Singles128 value, out Distances128 lower, out Distances128 upper)
    {
        var (low, high) = Vector128.Widen(value.Value);
        lower = new(low);
        upper = new(high);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddToOctet(ref float octet, int column)
    {
        ref var lanes = ref Unsafe.Add(ref octet, column & 4);
        (Vector128.LoadUnsafe(ref lanes) + Value).StoreUnsafe(ref lanes);
    }
}

/// <summary>Eight singles: the 256-bit path.</summary>
internal readonly struct Singles256(Vector256<float> value) : ISingleLanes<Singles256, Distances256>
{
    public Vector256<float> Value { get; } = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Singles256 operator +(Singles256 left, Singles256 right) => new(left.Value + right.Value);

    /// <summary>As <see cref="Vector256.Widen(Vector256{float})"/>, each half converted in place (no register copy first).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Widen(Singles256 value, out Distances256 lower, out Distances256 upper)
    {
        if (Avx.IsSupported)
        {
            lower = new(Avx.ConvertToVector256Double(value.Value.GetLower()));
            upper = new(Avx.ConvertToVector256Double(value.Value.GetUpper()));
            return;
        }
        var (low, high) = Vector256.Widen(value.Value);
        lower = new(low);
        upper = new(high);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddToOctet(ref float octet, int column) => (Vector256.LoadUnsafe(ref octet) + Value).StoreUnsafe(ref octet);
}

/// <summary>Sixteen singles: the 512-bit path.</summary>
internal readonly struct Singles512(Vector512<float> value) : ISingleLanes<Singles512, Distances512>
{
    public Vector512<float> Value { get; } = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Singles512 operator +(Singles512 left, Singles512 right) => new(left.Value + right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Widen(Singles512 value, out Distances512 lower, out Distances512 upper)
    {
        var (low, high) = Vector512.Widen(value.Value);
        lower = new(low);
        upper = new(high);
    }

    /// <summary>Lanes 0–7 then lanes 8–15 into the eight sums: two additions per sum, in column order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddToOctet(ref float octet, int column) =>
        (Vector256.LoadUnsafe(ref octet) + Value.GetLower() + Value.GetUpper()).StoreUnsafe(ref octet);
}
