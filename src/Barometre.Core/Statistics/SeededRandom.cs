namespace Barometre.Core.Statistics;

/// <summary>
/// A seeded pseudo-random generator whose streams are numpy's: PCG64 seeded through a
/// <c>SeedSequence</c>, so that <c>new SeededRandom(s)</c> draws what
/// <c>numpy.random.default_rng(s)</c> draws, and <see cref="ForStream"/> what
/// <c>default_rng(SeedSequence(s, spawn_key=(stream,)))</c> draws.
/// </summary>
/// <remarks>
/// The sequence is fixed by this code, not by the runtime (which <see cref="Random"/> does not promise),
/// and a data team can reproduce any draw of Baromètre in Python. <see cref="NextInt"/> follows
/// <c>Generator.integers(0, bound)</c> (Lemire's method on 32-bit draws, the second half of each
/// 64-bit output kept for the next 32-bit draw) and <see cref="NextDouble"/> <c>Generator.random()</c>.
/// </remarks>
public sealed class SeededRandom
{
    // PCG's default 128-bit multiplier.
    private const ulong MultiplierHigh = 2549297995355413924UL, MultiplierLow = 4865540595714422341UL;
    private static readonly UInt128 Multiplier = new(MultiplierHigh, MultiplierLow);

    private UInt128 _state;
    private readonly UInt128 _increment;
    private bool _hasHalf;
    private uint _half;

    /// <summary>Creates the generator of <c>numpy.random.default_rng(seed)</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative seed (numpy refuses them too).</exception>
    public SeededRandom(long seed)
        : this(SeedSequence.GenerateState(seed, spawnKey: null))
    {
    }

    private SeededRandom(ulong[] state)
    {
        var initialState = new UInt128(state[0], state[1]);
        _increment = (new UInt128(state[2], state[3]) << 1) | 1;
        _state = 0;
        Step();
        _state += initialState;
        Step();
    }

    /// <summary>An independent generator for one numbered stream of a seed (numpy's spawn key).</summary>
    public static SeededRandom ForStream(long seed, long stream) => new(SeedSequence.GenerateState(seed, stream));

    /// <summary>The next 64 random bits (PCG64, XSL-RR output).</summary>
    public ulong NextUInt64()
    {
        Step();
        var high = (ulong)(_state >> 64);
        var low = (ulong)_state;
        return ulong.RotateRight(high ^ low, (int)(_state >> 122));
    }

    /// <summary>The next 32 random bits: the low half of a 64-bit output, then its high half.</summary>
    public uint NextUInt32()
    {
        if (_hasHalf)
        {
            _hasHalf = false;
            return _half;
        }
        var next = NextUInt64();
        _hasHalf = true;
        _half = (uint)(next >> 32);
        return (uint)next;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>An index drawn with probability proportional to its weight (one <see cref="NextDouble"/>).</summary>
    public int NextWeightedIndex(ReadOnlySpan<double> weights)
    {
        var total = 0.0;
        foreach (var weight in weights)
        {
            total += weight;
        }
        var u = NextDouble() * total;
        for (var i = 0; i < weights.Length - 1; i++)
        {
            u -= weights[i];
            if (u < 0)
            {
                return i;
            }
        }
        return weights.Length - 1;
    }

    /// <summary>A uniform integer in [0, <paramref name="bound"/>), without bias (Lemire's method, as numpy).</summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        if (bound == 1)
        {
            return 0;
        }
        var range = (ulong)(uint)bound;
        var product = NextUInt32() * range;
        var leftover = (uint)product;
        if (leftover < range)
        {
            var threshold = (uint)((uint.MaxValue - (ulong)(bound - 1)) % range);
            while (leftover < threshold)
            {
                product = NextUInt32() * range;
                leftover = (uint)product;
            }
        }
        return (int)(product >> 32);
    }

    /// <summary>
    /// Where this generator stands, for code that steps PCG64 itself (<see cref="Pcg64Position"/>);
    /// only before a 32-bit draw has left a half buffered, since a position counts whole 64-bit outputs.
    /// </summary>
    internal Pcg64Position Position => _hasHalf
        ? throw new InvalidOperationException("A 32-bit half is buffered: the position would not say where the next draw comes from.")
        : new Pcg64Position(_state, _increment);

    /// <summary>
    /// One PCG64 step on the state held as two words, and the output of the new state — what
    /// <see cref="NextUInt64()"/> computes, without the <see cref="UInt128"/> operators, whose generic
    /// multiply costs several times the three 64-bit multiplications needed here.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static ulong NextOutput(ref ulong stateHigh, ref ulong stateLow, ulong incrementHigh, ulong incrementLow)
    {
        // Only the high word of the 128-bit product comes from mulx (umulh on ARM64): Math.BigMul's low word
        // goes through memory (an out parameter), and without BMI2 or ARM64 it calls a software fallback that
        // is not inlined; either would spill the state of the loops stepping this.
        var productHigh = System.Runtime.Intrinsics.X86.Bmi2.X64.IsSupported
            ? System.Runtime.Intrinsics.X86.Bmi2.X64.MultiplyNoFlags(stateLow, MultiplierLow)
            : System.Runtime.Intrinsics.Arm.ArmBase.Arm64.IsSupported
            ? System.Runtime.Intrinsics.Arm.ArmBase.Arm64.MultiplyHigh(stateLow, MultiplierLow)
            : MultiplyHighByHalves(stateLow);
        var high = productHigh + (stateLow * MultiplierHigh) + (stateHigh * MultiplierLow) + incrementHigh;
        var low = (stateLow * MultiplierLow) + incrementLow;
        high += low < incrementLow ? 1UL : 0UL;
        stateHigh = high;
        stateLow = low;
        return ulong.RotateRight(high ^ low, (int)(high >> 58));
    }

    /// <summary>The high word of <paramref name="value"/> · <see cref="MultiplierLow"/>, from four 32-bit products (exact).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static ulong MultiplyHighByHalves(ulong value)
    {
        const ulong MultiplierLowLow = MultiplierLow & uint.MaxValue, MultiplierLowHigh = MultiplierLow >> 32;
        ulong low = (uint)value, high = value >> 32;
        var lowLow = low * MultiplierLowLow;
        var lowHigh = low * MultiplierLowHigh;
        var highLow = high * MultiplierLowLow;
        var middle = (lowLow >> 32) + (uint)lowHigh + (uint)highLow;
        return (high * MultiplierLowHigh) + (lowHigh >> 32) + (highLow >> 32) + (middle >> 32);
    }

    private void Step() => _state = (_state * Multiplier) + _increment;

    /// <summary>
    /// A PCG64 state and increment: the stream of a <see cref="SeededRandom"/> from some point on, which
    /// can jump ahead, so that distant parts of one stream can be drawn independently.
    /// </summary>
    internal readonly record struct Pcg64Position(UInt128 State, UInt128 Increment)
    {
        /// <summary>
        /// The position <paramref name="steps"/> 64-bit outputs further, in O(log steps) (Brown,
        /// "Random number generation with arbitrary strides", 1994: the composed affine map by squaring).
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public Pcg64Position Advanced(ulong steps)
        {
            UInt128 multiplier = 1, addend = 0;
            UInt128 stepMultiplier = Multiplier, stepAddend = Increment;
            for (; steps > 0; steps >>= 1)
            {
                if ((steps & 1) != 0)
                {
                    multiplier *= stepMultiplier;
                    addend = (addend * stepMultiplier) + stepAddend;
                }
                stepAddend = (stepMultiplier + 1) * stepAddend;
                stepMultiplier *= stepMultiplier;
            }
            return this with { State = (multiplier * State) + addend };
        }
    }

    /// <summary>numpy's <c>SeedSequence</c>: hashes a seed (and a spawn key) into the 256 bits of PCG64 state.</summary>
    private static class SeedSequence
    {
        private const uint InitA = 0x43b0d7e5, MultA = 0x931e8875, InitB = 0x8b51f9dd, MultB = 0x58f38ded;
        private const uint MixMultL = 0xca01f9dd, MixMultR = 0x4973f715;
        private const int PoolSize = 4;

        public static ulong[] GenerateState(long seed, long? spawnKey)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(seed);
            var entropy = new List<uint>(Words((ulong)seed));
            if (spawnKey is { } key)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(key);
                while (entropy.Count < PoolSize)
                {
                    entropy.Add(0);
                }
                entropy.AddRange(Words((ulong)key));
            }

            var pool = new uint[PoolSize];
            var hash = InitA;
            for (var i = 0; i < PoolSize; i++)
            {
                pool[i] = HashMix(i < entropy.Count ? entropy[i] : 0, ref hash);
            }
            for (var source = 0; source < PoolSize; source++)
            {
                for (var destination = 0; destination < PoolSize; destination++)
                {
                    if (source != destination)
                    {
                        pool[destination] = Mix(pool[destination], HashMix(pool[source], ref hash));
                    }
                }
            }
            for (var source = PoolSize; source < entropy.Count; source++)
            {
                for (var destination = 0; destination < PoolSize; destination++)
                {
                    pool[destination] = Mix(pool[destination], HashMix(entropy[source], ref hash));
                }
            }

            // generate_state(4, uint64): eight 32-bit words, read as little-endian pairs.
            var words = new uint[8];
            var constant = InitB;
            for (var i = 0; i < words.Length; i++)
            {
                var value = pool[i % PoolSize] ^ constant;
                constant *= MultB;
                value *= constant;
                value ^= value >> 16;
                words[i] = value;
            }
            return [.. Enumerable.Range(0, 4).Select(i => words[2 * i] | ((ulong)words[(2 * i) + 1] << 32))];
        }

        private static IEnumerable<uint> Words(ulong value)
        {
            do
            {
                yield return (uint)value;
                value >>= 32;
            }
            while (value > 0);
        }

        private static uint HashMix(uint value, ref uint hash)
        {
            value ^= hash;
            hash *= MultA;
            value *= hash;
            return value ^ (value >> 16);
        }

        private static uint Mix(uint x, uint y)
        {
            var result = (MixMultL * x) - (MixMultR * y);
            return result ^ (result >> 16);
        }
    }
}
