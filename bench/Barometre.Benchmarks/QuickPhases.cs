using System.Diagnostics;
using System.Globalization;
using Barometre.Core;
using Barometre.Core.Publication;
using Barometre.Core.Results;
using Barometre.Core.Synthetic;
using Barometre.Data.Import;

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
        Time("silhouette (doubles)", () => kernels.SilhouetteMeanOfDoubles());
        Time("bootstrap (B = 1000)", () => kernels.BootstrapIntervals());
        Time("write JSON", () => kernels.WriteJson());
        Time("whole computation", () => kernels.Compute());
    }

    /// <summary>
    /// Each vector kernel on every path up to this processor's (<see cref="Kernels.ForcePath"/> in one process), warm:
    /// median wall time and median processor time over five runs. Processor time holds up better than wall time on
    /// a machine other programs share; the runtime's knobs (DOTNET_EnableAVX2=0 …) give the real lower machines.
    /// <paramref name="only"/>, when given, keeps the kernels whose name contains it.
    /// </summary>
    public static void Paths(int respondents, string? only = null)
    {
        var kernels = new KernelBenchmarks { Respondents = respondents };
        kernels.Setup();
        Console.WriteLine($"{respondents} collectivités × 37 questions, {Environment.ProcessorCount} cores, hardware path {Kernels.Describe(Kernels.HardwarePath)}");
        (string Name, Func<object> Kernel)[] measured =
        [
            ("silhouette (exact)", () => kernels.SilhouetteMean()),
            ("silhouette (doubles)", () => kernels.SilhouetteMeanOfDoubles()),
            ("k-means (10 starts)", () => kernels.KMeansFit()),
            ("bootstrap (B = 1000)", () => kernels.BootstrapIntervals()),
        ];
        foreach (var path in Enum.GetValues<VectorPath>().Where(path => path <= Kernels.HardwarePath).Reverse())
        {
            using (Kernels.ForcePath(path))
            {
                foreach (var (name, kernel) in measured.Where(kernel => only is null || kernel.Name.Contains(only, StringComparison.Ordinal)))
                {
                    var (wall, processor) = WallAndProcessor(kernel);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Kernels.Describe(path),-10}{name,-24}{wall,10:F1} ms wall{processor,10:F1} ms processor"));
                }
            }
        }
    }

    private static (double Wall, double Processor) WallAndProcessor(Func<object> kernel)
    {
        GC.KeepAlive(kernel());
        var walls = new double[5];
        var processors = new double[5];
        var process = Process.GetCurrentProcess();
        for (var i = 0; i < walls.Length; i++)
        {
            process.Refresh();
            var before = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            GC.KeepAlive(kernel());
            walls[i] = watch.Elapsed.TotalMilliseconds;
            process.Refresh();
            processors[i] = (process.TotalProcessorTime - before).TotalMilliseconds;
        }
        Array.Sort(walls);
        Array.Sort(processors);
        return (walls[2], processors[2]);
    }

    private static void Time(string name, Func<object> kernel) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-24}{Median(kernel),10:F1} ms"));

    /// <summary>Once to warm up, then the median of five timed runs, in milliseconds.</summary>
    private static double Median(Func<object> kernel)
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
        return times[2];
    }

    /// <summary>
    /// How each kernel grows: warm, one at a time, at 4 numbers of collectivités (37 questions) and at 4 numbers of
    /// questions (40,000 collectivités); the exponent is the slope of log(time) on log(size).
    /// </summary>
    public static void Scaling()
    {
        (string Name, Func<KernelBenchmarks, object> Kernel)[] kernels =
        [
            ("parse CSV", k => k.Parse()),
            ("question counts", k => k.QuestionCounts()),
            ("theme scores", k => k.ThemeScores()),
            ("correlations", k => k.Correlations()),
            ("k-means (10 starts)", k => k.KMeansFit()),
            ("silhouette (exact)", k => k.SilhouetteMean()),
            ("bootstrap (B = 1000)", k => k.BootstrapIntervals()),
            ("write JSON", k => k.WriteJson()),
            ("whole computation", k => k.Compute()),
        ];
        Table("collectivités n (37 questions)", [5_000, 10_000, 20_000, 40_000], size => new KernelBenchmarks { Respondents = size });
        Table("questions q (40,000 collectivités)", [37, 74, 148, 200], size => new KernelBenchmarks { Respondents = 40_000, Questions = size });

        void Table(string title, int[] sizes, Func<int, KernelBenchmarks> create)
        {
            var medians = new double[kernels.Length, sizes.Length];
            for (var s = 0; s < sizes.Length; s++)
            {
                var bench = create(sizes[s]);
                bench.Setup();
                for (var k = 0; k < kernels.Length; k++)
                {
                    medians[k, s] = Median(() => kernels[k].Kernel(bench));
                }
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\n| kernel | {string.Join(" | ", sizes.Select(size => $"{title.Split(' ')[0]} = {size:N0}"))} | exponent |"));
            Console.WriteLine($"|---|{string.Concat(Enumerable.Repeat("---|", sizes.Length + 1))}");
            var logSizes = sizes.Select(size => Math.Log(size)).ToArray();
            for (var k = 0; k < kernels.Length; k++)
            {
                var row = Enumerable.Range(0, sizes.Length).Select(s => medians[k, s]).ToArray();
                var slope = MathNet.Numerics.Fit.Line(logSizes, [.. row.Select(ms => Math.Log(Math.Max(ms, 0.05)))]).B;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {kernels[k].Name} | {string.Join(" | ", row.Select(ms => $"{ms:F1} ms"))} | {slope:F2} |"));
            }
        }
    }

    /// <summary>
    /// What a dashboard filter request computes on a published panel: the subset, the core computation without
    /// the silhouette, the secrecy decision applied and the public JSON written — for every filter the plan offers.
    /// </summary>
    public static void Filters(int respondents)
    {
        var model = ShippedModels.Load("maturite-numerique-2019");
        var responses = SyntheticPanel.Generate(model, new SyntheticPanelOptions { Respondents = respondents, Seed = 7 });
        var watch = Stopwatch.StartNew();
        var plan = SecrecyPlan.Build(responses);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{respondents} collectivités: secrecy plan {watch.Elapsed.TotalMilliseconds:F0} ms (once per publication)"));
        var whole = Barometer.Compute(responses, new BarometerOptions { Seed = 7 });
        string?[] types = [null, .. plan.Types];
        string?[] regions = [null, .. plan.Regions];
        string?[] bands = [null, .. plan.PopulationBands];
        var filters = (from type in types from region in regions from band in bands select new PanelFilter(type, region, band))
            .Where(filter => !filter.IsWholePanel).ToList();
        var times = new List<double>();
        var secret = 0;
        foreach (var filter in filters)
        {
            watch.Restart();
            var shown = Disclosure.ForFilter(responses, whole, plan, filter);
            using var json = new MemoryStream();
            PublicResultsJson.Write(json, shown, (1, "bench"), plan.Threshold);
            times.Add(watch.Elapsed.TotalMilliseconds);
            secret += shown.Decision.Suppressed ? 1 : 0;
        }
        times.Sort();
        double At(double p) => times[(int)Math.Round(p / 100 * (times.Count - 1))];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{filters.Count} filters ({secret} wholly secret): p50 {At(50):F1} ms, p95 {At(95):F1} ms, max {times[^1]:F1} ms"));
    }
}
