using BenchmarkDotNet.Running;
using Barometre.Benchmarks;

// dotnet run -c Release --project bench/Barometre.Benchmarks -- --filter '*'        BenchmarkDotNet (see bench/README.md)
// dotnet run -c Release --project bench/Barometre.Benchmarks -- phases [N]          one quick pass per kernel
// dotnet run -c Release --project bench/Barometre.Benchmarks -- filters [N]         every dashboard filter of a panel
// dotnet run -c Release --project bench/Barometre.Benchmarks -- paths [N] [kernel]  each vector kernel (or those whose name contains kernel) on every path up to this processor's
// dotnet run -c Release --project bench/Barometre.Benchmarks -- scaling             each kernel at 4 sizes, with its exponent
if (args is ["scaling"])
{
    QuickPhases.Scaling();
    return;
}
if (args is ["filters", ..])
{
    QuickPhases.Filters(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 40_000);
    return;
}
if (args is ["paths", ..])
{
    QuickPhases.Paths(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 40_000, args.Length > 2 ? args[2] : null);
    return;
}
if (args is ["phases", ..])
{
    QuickPhases.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 40_000);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(KernelBenchmarks).Assembly).Run(args);
