using System.Diagnostics;
using System.Globalization;

namespace Barometre.Benchmarks;

/// <summary>
/// A quick look at where the time goes, without BenchmarkDotNet's statistics: each kernel of
/// <see cref="KernelBenchmarks"/> once to warm up, then the median of five timed runs.
/// </summary>
internal static class QuickPhases
{
    public static void Run(int respondents)
    {
        var kernels = new KernelBenchmarks { Respondents = respondents };
        kernels.Setup();
        Console.WriteLine($"{respondents} collectivités × 37 questions, {Environment.ProcessorCount} cores");
        Time("parse CSV", () => kernels.Parse());
        Time("question counts", () => kernels.QuestionCounts());
        Time("theme scores", () => kernels.ThemeScores());
        Time("correlations", () => kernels.Correlations());
        Time("k-means (10 starts)", () => kernels.KMeansFit());
        Time("silhouette (exact)", () => kernels.SilhouetteMean());
        Time("bootstrap (B = 1000)", () => kernels.BootstrapIntervals());
        Time("write JSON", () => kernels.WriteJson());
        Time("whole computation", () => kernels.Compute());
    }

    private static void Time(string name, Func<object> kernel)
    {
        GC.KeepAlive(kernel());
        var times = new double[5];
        for (var i = 0; i < times.Length; i++)
        {
            var watch = Stopwatch.StartNew();
            GC.KeepAlive(kernel());
            times[i] = watch.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-24}{times[2],10:F1} ms"));
    }
}
