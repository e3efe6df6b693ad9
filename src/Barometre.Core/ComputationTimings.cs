namespace Barometre.Core;

/// <summary>
/// Records how long each phase of a computation takes (<c>barometre compute --timings</c>, benchmarks),
/// with the timestamps of an injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class ComputationTimings
{
    private readonly TimeProvider? _timer;

    private readonly List<(string Phase, TimeSpan Duration)> _phases = [];

    /// <summary>Timings read from <paramref name="timer"/>'s timestamps.</summary>
    public ComputationTimings(TimeProvider timer)
    {
        ArgumentNullException.ThrowIfNull(timer);
        _timer = timer;
    }

    private ComputationTimings()
    {
    }

    /// <summary>Measures nothing: the work runs, no time is read.</summary>
    public static ComputationTimings None { get; } = new();

    /// <summary>The phases measured so far, in order.</summary>
    public IReadOnlyList<(string Phase, TimeSpan Duration)> Phases => _phases;

    /// <summary>Runs <paramref name="work"/> and records its duration under <paramref name="phase"/>.</summary>
    public T Measure<T>(string phase, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (_timer is null)
        {
            return work();
        }
        var start = _timer.GetTimestamp();
        var result = work();
        _phases.Add((phase, _timer.GetElapsedTime(start)));
        return result;
    }
}
