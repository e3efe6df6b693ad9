using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Barometre.Core.Statistics;

/// <summary>Percentile bootstrap intervals of column means with missing values.</summary>
public static class Bootstrap
{
    /// <summary>
    /// The percentile 95 % interval of the mean of each column of <paramref name="values"/>
    /// (row-major n × <paramref name="columns"/>, NaN = missing).
    /// </summary>
    /// <remarks>
    /// Each replicate resamples the rows with replacement (joint resampling: one draw serves every
    /// column) and takes each column's mean over its non-missing values; a replicate where a column has
    /// none is left out of that column's percentiles. Percentiles 2.5 and 97.5 by linear interpolation.
    /// The rows are the draws of <c>new SeededRandom(seed)</c>, replicate after replicate — the draws of
    /// numpy's <c>default_rng(seed).integers(0, n, size=(B, n))</c> — and each replicate's sums run in
    /// row order, so the result does not depend on the number of threads. (NaN, NaN) for a column when
    /// <paramref name="replicates"/> is 0 or no replicate has a value.
    /// </remarks>
    public static (double Low, double High)[] MeanIntervals(ReadOnlySpan<double> values, int columns, int replicates, long seed) =>
        MeanIntervals(values, columns, replicates, seed, maxDegreeOfParallelism: -1);

    /// <summary>As the public overload, on at most <paramref name="maxDegreeOfParallelism"/> threads (−1: as many as useful).</summary>
    internal static (double Low, double High)[] MeanIntervals(ReadOnlySpan<double> values, int columns, int replicates, long seed, int maxDegreeOfParallelism)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentOutOfRangeException.ThrowIfNegative(replicates);
        var n = values.Length / columns;
        var result = new (double, double)[columns];
        Array.Fill(result, (double.NaN, double.NaN));
        if (replicates == 0 || n == 0)
        {
            return result;
        }

        var means = ReplicateMeans(values[..(n * columns)], columns, replicates, seed, maxDegreeOfParallelism);
        return PercentileIntervals(means, columns, replicates);
    }

    /// <summary>
    /// The percentile 95 % interval of the change of the mean of each column between two editions, where
    /// some units (collectivités) are in both: row-major tables of <paramref name="columns"/> values,
    /// NaN where a unit has no value in that column (not scored, no level).
    /// </summary>
    /// <remarks>
    /// <para>
    /// Stratified resampling, which keeps each edition's design: the units present in both editions
    /// (<paramref name="pairedBefore"/> and <paramref name="pairedAfter"/>, row i the same unit) are
    /// resampled as pairs, so that a unit's two values stay together; the units present in only one
    /// edition (<paramref name="beforeOnly"/>, <paramref name="afterOnly"/>) are resampled within their
    /// own edition. Each stratum keeps its size. A replicate's change in a column is the mean of the
    /// after values of the resampled units (paired and after-only, NaN skipped) minus the mean of the
    /// before values of the resampled units (paired and before-only, NaN skipped); a replicate where
    /// either side has no value is left out of that column's percentiles. Percentiles 2.5 and 97.5 by
    /// linear interpolation, as <see cref="MeanIntervals(ReadOnlySpan{double}, int, int, long)"/>. One
    /// draw serves every column.
    /// </para>
    /// <para>
    /// The draws come from <c>new SeededRandom(seed)</c>, replicate after replicate, each drawing its
    /// paired units, then its before-only units, then its after-only units — in numpy,
    /// <c>rng = default_rng(seed)</c> and for each replicate <c>rng.integers(0, s, size=s)</c> for each
    /// stratum of s ≥ 1 units in that order (a stratum of one unit draws nothing, as in numpy). Each
    /// replicate's sums run in row order, so the result does not depend on the number of threads.
    /// (NaN, NaN) for a column when <paramref name="replicates"/> is 0 or no replicate has a value on
    /// both sides.
    /// </para>
    /// </remarks>
    /// <param name="pairedBefore">The earlier edition's values of the units in both editions.</param>
    /// <param name="pairedAfter">The later edition's values of the same units, in the same order.</param>
    /// <param name="beforeOnly">The values of the units only in the earlier edition.</param>
    /// <param name="afterOnly">The values of the units only in the later edition.</param>
    /// <param name="columns">Values per unit (themes, indicators…), the same columns in every table.</param>
    /// <param name="replicates">Bootstrap replicates B.</param>
    /// <param name="seed">Seed of the draws.</param>
    /// <exception cref="ArgumentException">A table's length is not a multiple of <paramref name="columns"/>, or the paired tables differ in length.</exception>
    public static (double Low, double High)[] MeanChangeIntervals(
        ReadOnlySpan<double> pairedBefore,
        ReadOnlySpan<double> pairedAfter,
        ReadOnlySpan<double> beforeOnly,
        ReadOnlySpan<double> afterOnly,
        int columns,
        int replicates,
        long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentOutOfRangeException.ThrowIfNegative(replicates);
        if (pairedBefore.Length != pairedAfter.Length)
        {
            throw new ArgumentException("The paired tables differ in length.", nameof(pairedAfter));
        }
        foreach (var (length, name) in new[] { (pairedBefore.Length, nameof(pairedBefore)), (beforeOnly.Length, nameof(beforeOnly)), (afterOnly.Length, nameof(afterOnly)) })
        {
            if (length % columns != 0)
            {
                throw new ArgumentException($"The table's length is not a multiple of {columns} columns.", name);
            }
        }
        var units = new ChangeUnits(pairedBefore, pairedAfter, beforeOnly, afterOnly, columns);
        var changes = units.ReplicateChanges(replicates, seed, maxDegreeOfParallelism: -1);
        return PercentileIntervals(changes, columns, replicates);
    }

    /// <summary>
    /// Each column's 2.5 and 97.5 percentiles over the replicates of <paramref name="replicateValues"/>
    /// (replicate-major), the NaN ones left out; (NaN, NaN) for a column without any value.
    /// </summary>
    private static (double Low, double High)[] PercentileIntervals(double[] replicateValues, int columns, int replicates)
    {
        var result = new (double, double)[columns];
        var column = new List<double>(replicates);
        for (var c = 0; c < columns; c++)
        {
            column.Clear();
            for (var b = 0; b < replicates; b++)
            {
                var value = replicateValues[(b * columns) + c];
                if (!double.IsNaN(value))
                {
                    column.Add(value);
                }
            }
            column.Sort();
            var sorted = CollectionsMarshal.AsSpan(column);
            result[c] = (Descriptive.QuantileOfSorted(sorted, 0.025), Descriptive.QuantileOfSorted(sorted, 0.975));
        }
        return result;
    }

    /// <summary>The closed types of the generic kernels, for <see cref="Barometer.PrepareKernels"/>.</summary>
    internal static Type[] KernelInstantiations => [typeof(Resampler<ushort>), typeof(Resampler<int>)];

    /// <summary>
    /// The column means of each replicate (replicate-major, NaN where a column has no value), each sum
    /// taken in row order over the rows drawn at least once: Σ multiplicity · value.
    /// </summary>
    internal static double[] ReplicateMeans(ReadOnlySpan<double> values, int columns, int replicates, long seed, int maxDegreeOfParallelism)
    {
        // A multiplicity never exceeds n, so 16 bits hold it for any panel of up to 65 535 rows, and a
        // tile of multiplicities stays in a core's L2 cache for the 40 000 of a national panel.
        var rows = values.Length / columns;
        var path = Kernels.Path;
        return rows <= ushort.MaxValue
            ? new Resampler<ushort>(values, columns, replicates, seed, path).Means(maxDegreeOfParallelism)
            : new Resampler<int>(values, columns, replicates, seed, path).Means(maxDegreeOfParallelism);
    }

    /// <summary>
    /// The replicates, a tile of <see cref="Lanes"/> consecutive ones at a time: their multiplicities
    /// drawn, then their sums taken together, one vector lane per replicate.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The draws are the 32-bit stream of the seed's generator read through Lemire's method: a 32-bit
    /// value u gives the row ⌊u·n / 2³²⌋, unless the low half of u·n falls under 2³² mod n, in which case
    /// it is rejected and the next value is read. Replicate b takes the n accepted draws from number
    /// b·n on. Where replicate b starts in the 32-bit stream depends on how many values were rejected
    /// before it — rarely any (for n = 40 000, about one value in 600 000) but not known until those
    /// values are drawn. So a tile first draws as if nothing before it had been rejected: replicate b
    /// takes the accepted values among the 32-bit values b·n to (b + 1)·n, which any thread can draw at
    /// once by jumping ahead in the stream. Then, in tile order, the true boundaries follow from the
    /// rejections of the previous tiles, and the few values between a presumed boundary and the true one
    /// move to their replicate. The multiplicities are then exactly those of the sequential draw.
    /// </para>
    /// <para>
    /// The sums of a tile run row after row, each lane of a vector a replicate, so each replicate's sum
    /// of each column adds multiplicity · value in row order as the one-replicate-at-a-time loop did;
    /// a row not drawn adds +0, which changes no sum (they start at +0 and cannot become −0). The
    /// eight replicates of a tile are the eight lanes of <see cref="IEightDoubles{TSelf}"/>, held as
    /// registers of the width of <see cref="Kernels.Path"/> or as scalars: every path adds the same
    /// products in the same order.
    /// </para>
    /// </remarks>
    private sealed class Resampler<TWeight>
        where TWeight : unmanaged, IBinaryInteger<TWeight>
    {
        private const int Lanes = 8;

        /// <summary>
        /// Columns summed in one pass over the rows: 6 accumulators at 256 bits, which registers hold even
        /// without AVX-512. At 128 bits and in scalars some spill, but 1 or 2 columns, which convert the
        /// multiplicities more often, measured no faster (the draws take most of the time there).
        /// </summary>
        private const int BlockColumns = 3;

        private readonly int _columns;
        private readonly int _rows;
        private readonly int _replicates;
        private readonly int _tiles;
        private readonly VectorPath _path;

        /// <summary>
        /// The values with missing ones as 0 (their multiplicity is left out of the weight instead), in
        /// blocks of <see cref="BlockColumns"/> columns: block-major, then row-major within a block; the
        /// last block padded with zero columns.
        /// </summary>
        private readonly double[] _blocks;

        /// <summary>Whether a value is ±∞: 0 · ∞ is NaN, so rows not drawn must then be left out rather than added as 0.</summary>
        private readonly bool _hasInfinity;

        /// <summary>For each column, the rows where it is missing, whose multiplicities the weight of the column leaves out.</summary>
        private readonly int[][] _missingRows;

        private readonly SeededRandom.Pcg64Position _origin;
        private readonly uint _rejectionThreshold;
        private readonly double[] _means;

        /// <summary>
        /// For each tile, the position in the 32-bit stream where its first replicate truly starts, once
        /// the tiles before it are settled (<see cref="_settledTiles"/>).
        /// </summary>
        private readonly long[] _tileStarts;

        private int _settledTiles;
        private int _nextTile = -1;

        /// <summary>Set when a worker fails, so that none waits forever for a tile it will not settle.</summary>
        private volatile bool _abandoned;

        // Fully optimised at once: the first call, in a short-lived process, would otherwise run this loop over every value as unoptimised code.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public Resampler(ReadOnlySpan<double> values, int columns, int replicates, long seed, VectorPath path)
        {
            _path = path;
            _columns = columns;
            _rows = values.Length / columns;
            _replicates = replicates;
            _tiles = (replicates + Lanes - 1) / Lanes;
            var blocks = (columns + BlockColumns - 1) / BlockColumns;
            _blocks = new double[blocks * _rows * BlockColumns];
            var missing = new List<int>[columns];
            for (var column = 0; column < columns; column++)
            {
                missing[column] = [];
                var (block, offset) = Math.DivRem(column, BlockColumns);
                var blockValues = _blocks.AsSpan(block * _rows * BlockColumns);
                for (var row = 0; row < _rows; row++)
                {
                    var value = values[(row * columns) + column];
                    if (double.IsNaN(value))
                    {
                        missing[column].Add(row);
                        continue;
                    }
                    blockValues[(row * BlockColumns) + offset] = value;
                    _hasInfinity |= double.IsInfinity(value);
                }
            }
            _missingRows = [.. missing.Select(rows => rows.ToArray())];
            _origin = new SeededRandom(seed).Position;
            // As SeededRandom.NextInt: (2³² − n) mod n = 2³² mod n.
            _rejectionThreshold = (uint)((uint.MaxValue - (ulong)(_rows - 1)) % (ulong)_rows);
            _means = new double[replicates * columns];
            _tileStarts = new long[_tiles + 1];
        }

        public double[] Means(int maxDegreeOfParallelism)
        {
            var workers = Math.Min(_tiles, maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount);
            // Workers take tiles in increasing order, so the tile whose boundaries one waits for is always
            // in the hands of a running worker.
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, _ => Work());
            return _means;
        }

        private void Work()
        {
            try
            {
                WorkOnTiles();
            }
            catch
            {
                _abandoned = true;
                throw;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void WorkOnTiles()
        {
            var multiplicities = new TWeight[_rows * Lanes];
            // Column-major, eight replicates a column; the padding columns of the last block too.
            var sums = new double[(_blocks.Length / _rows) * Lanes];
            var rejections = new List<long>();
            int tile;
            while ((tile = Interlocked.Increment(ref _nextTile)) < _tiles)
            {
                Array.Clear(multiplicities);
                rejections.Clear();
                DrawPresumingNoEarlierRejection(tile, multiplicities, rejections);
                var wait = default(SpinWait);
                while (Volatile.Read(ref _settledTiles) < tile)
                {
                    if (_abandoned)
                    {
                        return;
                    }
                    // Never Sleep(1): the wait is usually shorter than a tile's sums, a millisecond is not.
                    wait.SpinOnce(sleep1Threshold: -1);
                }
                MoveToTrueBoundaries(tile, multiplicities, rejections);
                Volatile.Write(ref _settledTiles, tile + 1);
                Sum(tile, multiplicities, sums);
            }
        }

        private int ReplicatesIn(int tile) => Math.Min(Lanes, _replicates - (tile * Lanes));

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void DrawPresumingNoEarlierRejection(int tile, TWeight[] multiplicities, List<long> rejections)
        {
            var first = tile * Lanes;
            if (_rows == 1)
            {
                // NextInt(1) draws nothing: every replicate is the one row.
                for (var lane = 0; lane < ReplicatesIn(tile); lane++)
                {
                    multiplicities[lane] = TWeight.One;
                }
                return;
            }
            var stream = new DrawStream(_origin, (long)first * _rows);
            for (var lane = 0; lane < ReplicatesIn(tile); lane++)
            {
                stream.Tally((long)(first + lane + 1) * _rows, _rows, _rejectionThreshold, multiplicities, lane, TWeight.One, rejections);
            }
        }

        /// <summary>
        /// Moves the draws between each presumed boundary of the tile's replicates and the true one,
        /// given the true start of the tile (settled by the previous tile), and settles the next tile's.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void MoveToTrueBoundaries(int tile, TWeight[] multiplicities, List<long> rejections)
        {
            if (_rows == 1)
            {
                return;
            }
            var first = tile * Lanes;
            var start = _tileStarts[tile];
            // Rejections are known for the tile's presumed range; beyond, they are drawn when needed.
            var drawnUpTo = (long)(first + ReplicatesIn(tile)) * _rows;
            var next = 0;
            while (next < rejections.Count && rejections[next] < start)
            {
                next++;
            }
            for (var lane = 0; lane < ReplicatesIn(tile); lane++)
            {
                // The replicate ends after n accepted values: one further for each rejection before its end.
                var end = start + _rows;
                while (true)
                {
                    while (next < rejections.Count && rejections[next] < end)
                    {
                        next++;
                        end++;
                    }
                    if (end <= drawnUpTo)
                    {
                        break;
                    }
                    new DrawStream(_origin, drawnUpTo).Tally(end, _rows, _rejectionThreshold, multiplicities, lane, TWeight.Zero, rejections);
                    drawnUpTo = end;
                }

                var presumedStart = (long)(first + lane) * _rows;
                var presumedEnd = presumedStart + _rows;
                // True start ≥ presumed start: the presumed range's head belongs to earlier replicates,
                // and the values after it up to the true end belong to this one.
                Move(presumedStart, Math.Min(start, presumedEnd), multiplicities, lane, TWeight.AllBitsSet);
                Move(Math.Max(start, presumedEnd), end, multiplicities, lane, TWeight.One);
                start = end;
            }
            _tileStarts[tile + 1] = start;
        }

        /// <summary>Adds <paramref name="change"/> (1, or all bits set for −1) to the multiplicity of each row drawn between two stream positions.</summary>
        private void Move(long from, long to, TWeight[] multiplicities, int lane, TWeight change)
        {
            if (from < to)
            {
                new DrawStream(_origin, from).Tally(to, _rows, _rejectionThreshold, multiplicities, lane, change, rejections: null);
            }
        }

        /// <summary>Each column's sum for the tile's replicates (<paramref name="sums"/>[8c + lane]), then their means.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Sum(int tile, TWeight[] multiplicities, double[] sums)
        {
            switch (_path)
            {
                case VectorPath.Scalar:
                    SumBlocksScalar(multiplicities, sums);
                    break;
                case VectorPath.Vector128:
                    SumBlocks128(multiplicities, sums);
                    break;
                default:
                    // 512 bits run the 256-bit code, which docs/performance.md's AVX-512 figures measured;
                    // a tile in one 512-bit register per column would halve the instructions, unmeasured.
                    SumBlocks256(multiplicities, sums);
                    break;
            }

            var first = tile * Lanes;
            for (var lane = 0; lane < ReplicatesIn(tile); lane++)
            {
                for (var c = 0; c < _columns; c++)
                {
                    var missing = 0L;
                    foreach (var row in _missingRows[c])
                    {
                        missing += long.CreateTruncating(multiplicities[(row * Lanes) + lane]);
                    }
                    // Σ multiplicities = n, so this is the Σ multiplicity · present the weight was.
                    var weight = (double)(_rows - missing);
                    var total = sums[(c * Lanes) + lane];
                    _means[((first + lane) * _columns) + c] = weight > 0 ? total / weight : double.NaN;
                }
            }
        }

        // One method a path, each inlining its loop: the three paths in Sum would exceed the JIT's inlining budget.
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private void SumBlocks256(TWeight[] multiplicities, double[] sums) => SumBlocks<EightDoubles256>(multiplicities, sums);

        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private void SumBlocks128(TWeight[] multiplicities, double[] sums) => SumBlocks<EightDoubles128>(multiplicities, sums);

        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private void SumBlocksScalar(TWeight[] multiplicities, double[] sums) => SumBlocks<EightDoublesScalar>(multiplicities, sums);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void SumBlocks<TLanes>(TWeight[] multiplicities, double[] sums)
            where TLanes : struct, IEightDoubles<TLanes>
        {
            if (_hasInfinity)
            {
                SumBlocksLeavingOutUndrawn<TLanes>(multiplicities, sums);
                return;
            }
            SumBlocks<TLanes>(multiplicities, sums, leaveOutUndrawn: false);
        }

        /// <summary>
        /// The sums where a value is ±∞ (never a score): a method apart, compiled when needed, so that each
        /// path's method inlines one loop, with a constant test — two copies of the scalar one would
        /// exceed the JIT's inlining budget, and the test left in the loop costs registers at 256 bits.
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private void SumBlocksLeavingOutUndrawn<TLanes>(TWeight[] multiplicities, double[] sums)
            where TLanes : struct, IEightDoubles<TLanes> =>
            SumBlocks<TLanes>(multiplicities, sums, leaveOutUndrawn: true);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void SumBlocks<TLanes>(TWeight[] multiplicities, double[] sums, bool leaveOutUndrawn)
            where TLanes : struct, IEightDoubles<TLanes>
        {
            for (var block = 0; block * BlockColumns < _columns; block++)
            {
                var values = _blocks.AsSpan(block * _rows * BlockColumns, _rows * BlockColumns);
                SumBlock<TLanes>(values, multiplicities, ref sums[block * BlockColumns * Lanes], leaveOutUndrawn);
            }
        }

        /// <summary>
        /// Σ multiplicity · value over the rows in row order for the three columns of a block, column
        /// j's eight lanes in <paramref name="sums"/> from 8j on (the last block's padding columns too).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void SumBlock<TLanes>(ReadOnlySpan<double> values, TWeight[] multiplicities, ref double sums, bool leaveOutUndrawn)
            where TLanes : struct, IEightDoubles<TLanes>
        {
            TLanes sum0 = default, sum1 = default, sum2 = default;
            ref var value = ref MemoryMarshal.GetReference(values);
            ref var multiplicity = ref MemoryMarshal.GetArrayDataReference(multiplicities);
            var rows = values.Length / BlockColumns;
            for (var row = 0; row < rows; row++)
            {
                var weights = TLanes.LoadIntegers(ref Unsafe.Add(ref multiplicity, row * Lanes));
                ref var rowValue = ref Unsafe.Add(ref value, row * BlockColumns);
                var product0 = TLanes.Multiply(weights, rowValue);
                var product1 = TLanes.Multiply(weights, Unsafe.Add(ref rowValue, 1));
                var product2 = TLanes.Multiply(weights, Unsafe.Add(ref rowValue, 2));
                if (leaveOutUndrawn)
                {
                    product0 = TLanes.ZeroWhereZero(product0, weights);
                    product1 = TLanes.ZeroWhereZero(product1, weights);
                    product2 = TLanes.ZeroWhereZero(product2, weights);
                }
                sum0 = TLanes.Add(sum0, product0);
                sum1 = TLanes.Add(sum1, product1);
                sum2 = TLanes.Add(sum2, product2);
            }
            // No call after the loop: the register allocator would spill the accumulators inside it.
            TLanes.Store(sum0, ref sums);
            TLanes.Store(sum1, ref Unsafe.Add(ref sums, Lanes));
            TLanes.Store(sum2, ref Unsafe.Add(ref sums, 2 * Lanes));
        }

        /// <summary>The seed's stream of 32-bit values read as draws of rows, from a given position on.</summary>
        private struct DrawStream
        {
            private readonly ulong _incrementHigh, _incrementLow;
            private ulong _stateHigh, _stateLow;
            private long _position;
            private bool _hasHalf;
            private uint _half;

            /// <summary>At 32-bit value number <paramref name="position"/> of the stream starting at <paramref name="origin"/>.</summary>
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            public DrawStream(SeededRandom.Pcg64Position origin, long position)
            {
                var at = origin.Advanced((ulong)position >> 1);
                _stateHigh = (ulong)(at.State >> 64);
                _stateLow = (ulong)at.State;
                _incrementHigh = (ulong)(at.Increment >> 64);
                _incrementLow = (ulong)at.Increment;
                _position = position & ~1L;
                if ((position & 1) != 0)
                {
                    // Odd positions are the high halves of 64-bit outputs.
                    var output = SeededRandom.NextOutput(ref _stateHigh, ref _stateLow, _incrementHigh, _incrementLow);
                    _hasHalf = true;
                    _half = (uint)(output >> 32);
                    _position = position;
                }
            }

            /// <summary>
            /// Reads the values up to position <paramref name="end"/>: adds <paramref name="change"/> to the
            /// multiplicity of each accepted row in lane <paramref name="lane"/>, and lists the positions of
            /// rejected values in <paramref name="rejections"/>.
            /// </summary>
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            public void Tally(long end, int rows, uint rejectionThreshold, TWeight[] multiplicities, int lane, TWeight change, List<long>? rejections)
            {
                ref var laneMultiplicity = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(multiplicities), lane);
                var bound = (ulong)(uint)rows;
                while (_position < end)
                {
                    if (_hasHalf)
                    {
                        TallyOne(_half, _position++, bound, rejectionThreshold, ref laneMultiplicity, change, rejections);
                        _hasHalf = false;
                        continue;
                    }
                    var pairs = (end - _position) >> 1;
                    if (pairs == 0)
                    {
                        var output = SeededRandom.NextOutput(ref _stateHigh, ref _stateLow, _incrementHigh, _incrementLow);
                        TallyOne((uint)output, _position++, bound, rejectionThreshold, ref laneMultiplicity, change, rejections);
                        _hasHalf = true;
                        _half = (uint)(output >> 32);
                        continue;
                    }
                    var tallied = TallyPairsUntilRejection(pairs, bound, rejectionThreshold, ref laneMultiplicity, change, out var stoppingOutput);
                    _position += 2 * tallied;
                    if (tallied < pairs)
                    {
                        // The output holding a rejected value, read one half at a time.
                        TallyOne((uint)stoppingOutput, _position++, bound, rejectionThreshold, ref laneMultiplicity, change, rejections);
                        _hasHalf = true;
                        _half = (uint)(stoppingOutput >> 32);
                    }
                }
            }

            /// <summary>
            /// Reads up to <paramref name="pairs"/> whole 64-bit outputs and tallies both halves of each,
            /// until one holds a value to reject: that output is not tallied but handed back in
            /// <paramref name="stoppingOutput"/>. Returns the number of outputs tallied.
            /// </summary>
            /// <remarks>The draw loop of the bootstrap: no call in it, so its state stays in registers.</remarks>
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            private long TallyPairsUntilRejection(long pairs, ulong bound, uint rejectionThreshold, ref TWeight laneMultiplicity, TWeight change, out ulong stoppingOutput)
            {
                ulong high = _stateHigh, low = _stateLow;
                ulong incrementHigh = _incrementHigh, incrementLow = _incrementLow;
                stoppingOutput = 0;
                long tallied;
                for (tallied = 0; tallied < pairs; tallied++)
                {
                    var output = SeededRandom.NextOutput(ref high, ref low, incrementHigh, incrementLow);
                    var first = (ulong)(uint)output * bound;
                    var second = (output >> 32) * bound;
                    if ((uint)first < rejectionThreshold || (uint)second < rejectionThreshold)
                    {
                        stoppingOutput = output;
                        break;
                    }
                    Unsafe.Add(ref laneMultiplicity, (nint)(first >> 32) * Lanes) += change;
                    Unsafe.Add(ref laneMultiplicity, (nint)(second >> 32) * Lanes) += change;
                }
                _stateHigh = high;
                _stateLow = low;
                return tallied;
            }

            private static void TallyOne(uint value, long position, ulong bound, uint rejectionThreshold, ref TWeight laneMultiplicity, TWeight change, List<long>? rejections)
            {
                var product = value * bound;
                if ((uint)product < rejectionThreshold)
                {
                    rejections?.Add(position);
                    return;
                }
                Unsafe.Add(ref laneMultiplicity, (nint)(product >> 32) * Lanes) += change;
            }
        }
    }

    /// <summary>
    /// The units of two editions as one table whose rows are the paired units, then the before-only
    /// ones, then the after-only ones, and the stratified replicates of
    /// <see cref="MeanChangeIntervals(ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, int, int, long)"/>.
    /// </summary>
    /// <remarks>
    /// A row holds 4 × columns values: the before values (0 where missing), their presence (1 or 0),
    /// the after values and their presence, a side where the unit is absent counting as missing. A
    /// replicate's four sums — Σ w · value and Σ w · presence on each side — are then one scaled
    /// addition of each drawn row, taken in row order. Replicates are summed <see cref="LanesPerTask"/>
    /// at a time so that a row, read once from memory, serves all of them: a national panel's table
    /// does not fit in cache, and reading it once per replicate would dominate the time.
    /// </remarks>
    internal sealed class ChangeUnits
    {
        /// <summary>Cells of resample multiplicities held at once: about 16 MB, whatever the panel size.</summary>
        private const int BatchCells = 1 << 22;

        private const int LanesPerTask = 8;

        private readonly int _columns;
        private readonly int _rows;
        private readonly int[] _strata;
        private readonly double[] _table;

        public ChangeUnits(ReadOnlySpan<double> pairedBefore, ReadOnlySpan<double> pairedAfter, ReadOnlySpan<double> beforeOnly, ReadOnlySpan<double> afterOnly, int columns)
        {
            _columns = columns;
            _strata = [pairedBefore.Length / columns, beforeOnly.Length / columns, afterOnly.Length / columns];
            _rows = _strata.Sum();
            _table = new double[_rows * 4 * columns];
            var row = 0;
            for (var i = 0; i < _strata[0]; i++, row++)
            {
                Fill(row, 0, pairedBefore.Slice(i * columns, columns));
                Fill(row, 2, pairedAfter.Slice(i * columns, columns));
            }
            for (var i = 0; i < _strata[1]; i++, row++)
            {
                Fill(row, 0, beforeOnly.Slice(i * columns, columns));
            }
            for (var i = 0; i < _strata[2]; i++, row++)
            {
                Fill(row, 2, afterOnly.Slice(i * columns, columns));
            }
        }

        /// <summary>
        /// Each replicate's change of each column (replicate-major), NaN where a side has no value, on at
        /// most <paramref name="maxDegreeOfParallelism"/> threads (−1: as many as useful), which changes nothing in the result.
        /// </summary>
        public double[] ReplicateChanges(int replicates, long seed, int maxDegreeOfParallelism)
        {
            var changes = new double[replicates * _columns];
            if (_rows == 0)
            {
                Array.Fill(changes, double.NaN);
                return changes;
            }
            // The draws are sequential; the sums of a batch of replicates run in parallel, each in row order.
            var rng = new SeededRandom(seed);
            var path = Kernels.Path;
            var batch = Math.Clamp(BatchCells / _rows, 1, Math.Max(1, replicates));
            var multiplicities = new int[batch * _rows];
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
            for (var first = 0; first < replicates; first += batch)
            {
                var count = Math.Min(batch, replicates - first);
                Array.Clear(multiplicities);
                for (var b = 0; b < count; b++)
                {
                    Draw(rng, multiplicities.AsSpan(b * _rows, _rows));
                }
                var start = first;
                Parallel.For(
                    0,
                    (count + LanesPerTask - 1) / LanesPerTask,
                    parallel,
                    task => Changes(multiplicities, task * LanesPerTask, Math.Min(LanesPerTask, count - (task * LanesPerTask)), changes.AsSpan((start + (task * LanesPerTask)) * _columns), path));
            }
            return changes;
        }

        private void Fill(int row, int side, ReadOnlySpan<double> values)
        {
            var sums = _table.AsSpan(((row * 4) + side) * _columns, _columns);
            var presence = _table.AsSpan((((row * 4) + side) + 1) * _columns, _columns);
            for (var c = 0; c < _columns; c++)
            {
                var missing = double.IsNaN(values[c]);
                sums[c] = missing ? 0 : values[c];
                presence[c] = missing ? 0 : 1;
            }
        }

        private void Draw(SeededRandom rng, Span<int> multiplicity)
        {
            var offset = 0;
            foreach (var size in _strata)
            {
                for (var i = 0; i < size; i++)
                {
                    multiplicity[offset + rng.NextInt(size)]++;
                }
                offset += size;
            }
        }

        /// <summary>The changes of <paramref name="lanes"/> consecutive replicates of the batch, from <paramref name="firstLane"/> on.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Changes(int[] multiplicities, int firstLane, int lanes, Span<double> changes, VectorPath path)
        {
            var width = 4 * _columns;
            var sums = new double[lanes * width];
            for (var row = 0; row < _rows; row++)
            {
                var values = _table.AsSpan(row * width, width);
                for (var lane = 0; lane < lanes; lane++)
                {
                    var w = multiplicities[((firstLane + lane) * _rows) + row];
                    if (w != 0)
                    {
                        var laneSums = sums.AsSpan(lane * width, width);
                        switch (path)
                        {
                            case VectorPath.Scalar:
                                AddScaled<EightDoublesScalar>(laneSums, values, w);
                                break;
                            case VectorPath.Vector128:
                                AddScaled<EightDoubles128>(laneSums, values, w);
                                break;
                            default:
                                AddScaled<EightDoubles256>(laneSums, values, w);
                                break;
                        }
                    }
                }
            }
            for (var lane = 0; lane < lanes; lane++)
            {
                var laneSums = sums.AsSpan(lane * width, width);
                for (var c = 0; c < _columns; c++)
                {
                    var (beforeSum, beforeWeight) = (laneSums[c], laneSums[_columns + c]);
                    var (afterSum, afterWeight) = (laneSums[(2 * _columns) + c], laneSums[(3 * _columns) + c]);
                    changes[(lane * _columns) + c] = beforeWeight > 0 && afterWeight > 0
                        ? (afterSum / afterWeight) - (beforeSum / beforeWeight)
                        : double.NaN;
                }
            }
        }

        /// <summary>sums += w · values, element by element (eight columns at a time).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void AddScaled<TLanes>(Span<double> sums, ReadOnlySpan<double> values, double w)
            where TLanes : struct, IEightDoubles<TLanes>
        {
            ref var sum = ref MemoryMarshal.GetReference(sums);
            ref var value = ref MemoryMarshal.GetReference(values);
            var i = 0;
            for (; i <= values.Length - 8; i += 8)
            {
                ref var at = ref Unsafe.Add(ref sum, i);
                TLanes.Store(TLanes.Add(TLanes.Load(ref at), TLanes.Multiply(TLanes.Load(ref Unsafe.Add(ref value, i)), w)), ref at);
            }
            for (; i < values.Length; i++)
            {
                sums[i] += w * values[i];
            }
        }
    }
}
