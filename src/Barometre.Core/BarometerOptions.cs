namespace Barometre.Core;

/// <summary>Parameters of a barometer computation.</summary>
/// <remarks>The defaults are the contract's: seed 42, 1,000 bootstrap replicates, 3 segments, 10 k-means restarts.</remarks>
public sealed record BarometerOptions
{
    /// <summary>
    /// Seed of every random draw (k-means seeding, bootstrap), 0 to 2³² − 1 as numpy and scikit-learn
    /// accept; the same seed gives the same results.
    /// </summary>
    public long Seed
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxSeed);
            field = value;
        }
    } = 42;

    /// <summary>The largest seed, 2³² − 1.</summary>
    public const long MaxSeed = uint.MaxValue;

    /// <summary>Bootstrap replicates B; 0 leaves the theme intervals undefined.</summary>
    public int Bootstrap
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            field = value;
        }
    } = 1000;

    /// <summary>Number of segments k, at least 2.</summary>
    public int K
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 2);
            field = value;
        }
    } = 3;

    /// <summary>k-means restarts; the lowest inertia is kept.</summary>
    public int KMeansRestarts
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            field = value;
        }
    } = 10;

    /// <summary>
    /// Whether to compute the mean silhouette of the segments (exact, O(n²)); filtered views of published
    /// results skip it. When false the results' silhouette is null.
    /// </summary>
    public bool Silhouette { get; init; } = true;

    /// <summary>Where to record the duration of each phase; null (the default) records nothing.</summary>
    public ComputationTimings? Timings { get; init; }

    /// <summary>The defaults.</summary>
    public static BarometerOptions Default { get; } = new();
}
