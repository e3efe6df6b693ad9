namespace Barometre.Core;

/// <summary>
/// Records how long each phase of a computation takes (<c>barometre compute --timings</c>, benchmarks),
/// with the timestamps of an injected <see cref="TimeProvider"/>. Phases may overlap (the silhouette runs
/// beside the phases after it); they are listed in the order they began.
/// </summary>
public sealed class ComputationTimings
{
    private readonly TimeProvider? _timer;

    private readonly List<(string Phase, TimeSpan? Duration)> _phases = [];

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

    /// <summary>The phases ended so far, in the order they began.</summary>
    public IReadOnlyList<(string Phase, TimeSpan Duration)> Phases
    {
        get
        {
            lock (_phases)
            {
                return [.. _phases.Where(p => p.Duration is not null).Select(p => (p.Phase, p.Duration!.Value))];
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> and records its duration under <paramref name="phase"/>.</summary>
    public T Measure<T>(string phase, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var running = Begin(phase);
        var result = work();
        running.End();
        return result;
    }

    /// <summary>Starts timing <paramref name="phase"/>, which takes its place in <see cref="Phases"/> now and its duration when it ends, on any thread.</summary>
    internal RunningPhase Begin(string phase)
    {
        if (_timer is null)
        {
            return default;
        }
        lock (_phases)
        {
            _phases.Add((phase, null));
            return new RunningPhase(this, _phases.Count - 1, _timer.GetTimestamp());
        }
    }

    /// <summary>A phase begun with <see cref="Begin"/>; <see cref="End"/> records its duration.</summary>
    internal readonly struct RunningPhase(ComputationTimings? timings, int slot, long start)
    {
        public void End()
        {
            if (timings?._timer is not { } timer)
            {
                return;
            }
            var duration = timer.GetElapsedTime(start);
            lock (timings._phases)
            {
                timings._phases[slot] = (timings._phases[slot].Phase, duration);
            }
        }
    }
}
