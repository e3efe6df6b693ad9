namespace Barometre.Core.Results;

/// <summary>
/// A barometer computed but for its silhouette, which is still being computed in the background
/// (<see cref="Barometer.Start"/>): the rest of the results can be used meanwhile.
/// </summary>
public sealed class PendingResults
{
    private readonly Task<double?>? _silhouette;
    private BarometerResults? _complete;

    internal PendingResults(BarometerResults partial, Task<double?>? silhouette)
    {
        Partial = partial;
        _silhouette = silhouette;
    }

    /// <summary>The results, the segments' silhouette null until <see cref="Complete"/>.</summary>
    public BarometerResults Partial { get; }

    /// <summary>The whole results, once the silhouette is computed (it waits for it).</summary>
    public BarometerResults Complete() =>
        _complete ??= _silhouette is null
            ? Partial
            : Partial with { Segments = Partial.Segments with { Silhouette = _silhouette.GetAwaiter().GetResult() } };
}
