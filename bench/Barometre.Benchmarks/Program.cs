using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Barometre.Benchmarks -- --filter '*'   (see bench/README.md)
BenchmarkSwitcher.FromAssembly(typeof(Barometre.Benchmarks.KernelBenchmarks).Assembly).Run(args);
