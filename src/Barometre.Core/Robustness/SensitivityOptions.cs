namespace Barometre.Core.Robustness;

/// <summary>Parameters of a weight-sensitivity analysis (<see cref="WeightSensitivity.Analyse(Responses.ResponseSet, Results.BarometerResults, SensitivityOptions?)"/>).</summary>
/// <remarks>
/// The defaults are 1,000 draws, seed 42 and factors drawn in [0.5, 1.5]. Each property checks its own
/// range, so 0 &lt; <see cref="MinFactor"/> ≤ 1 ≤ <see cref="MaxFactor"/> always holds. Setting both
/// factors to 1 makes every draw reproduce the published weights.
/// </remarks>
public sealed record SensitivityOptions
{
    /// <summary>Number of weight draws, at least 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value below 1.</exception>
    public int Draws
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            field = value;
        }
    } = 1000;

    /// <summary>
    /// Seed of the draws, 0 to 2³² − 1; draw d uses <c>SeededRandom.ForStream(Seed, d)</c>, numpy's
    /// <c>default_rng(SeedSequence(Seed, spawn_key=(d,)))</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative seed or one above <see cref="BarometerOptions.MaxSeed"/>.</exception>
    public long Seed
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, BarometerOptions.MaxSeed);
            field = value;
        }
    } = 42;

    /// <summary>Lower bound of the weight factors, in (0, 1].</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value that is not in (0, 1] (NaN included).</exception>
    public double MinFactor
    {
        get;
        init
        {
            if (!(value > 0 && value <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The lowest factor must be in (0, 1].");
            }
            field = value;
        }
    } = 0.5;

    /// <summary>Upper bound of the weight factors, finite and at least 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value below 1, infinite or NaN.</exception>
    public double MaxFactor
    {
        get;
        init
        {
            if (!(value >= 1 && double.IsFinite(value)))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The highest factor must be finite and at least 1.");
            }
            field = value;
        }
    } = 1.5;

    /// <summary>The defaults.</summary>
    public static SensitivityOptions Default { get; } = new();
}
