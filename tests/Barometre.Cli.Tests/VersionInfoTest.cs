using System.Diagnostics;
using Barometre.Core;

namespace Barometre.Cli.Tests;

public sealed class VersionInfoTest
{
    [Fact]
    public void Version_SaysTheVersionThePathAndEachKernelsWidth()
    {
        var run = CliRun.Of("--version");

        Assert.Equal((0, ""), (run.ExitCode, run.Error));
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("barometre 1.", lines[0], StringComparison.Ordinal);
        Assert.StartsWith(".NET 10.", lines[1], StringComparison.Ordinal);
        Assert.Equal($"Vecteurs : {Kernels.Describe(Kernels.HardwarePath)} (jeux d'instructions : {Kernels.InstructionSets})", lines[2]);
        Assert.Equal("Largeur des vecteurs de chaque calcul :", lines[3]);
        Assert.Equal(
            Kernels.KernelNames.Select(kernel => (kernel, Kernels.Describe(Kernels.HardwarePath))),
            lines[4..].Select(line => (line[..33].Trim(), line[33..])));
    }

    /// <summary>The runtime's switches, as a user sets them: each lowers the path the version reports, for every kernel.</summary>
    [Theory]
    [InlineData("DOTNET_EnableAVX2", "128 bits", "AVX, SSE4.2")]
    [InlineData("DOTNET_EnableHWIntrinsic", "scalaire", "aucun")]
    public async Task Version_AsAProcessUnderARuntimeSwitch_SaysTheLowerPath(string variable, string width, string instructionSets)
    {
        Assert.SkipUnless(System.Runtime.Intrinsics.X86.Avx2.IsSupported, "the switches lower an AVX2 processor's path");
        var executable = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "barometre.exe" : "barometre");
        var start = new ProcessStartInfo(executable, ["--version"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment[variable] = "0";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.Equal((0, ""), (process.ExitCode, await error));
        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"Vecteurs : {width} (jeux d'instructions : {instructionSets})", lines[2]);
        Assert.All(lines[4..], line => Assert.EndsWith(width, line, StringComparison.Ordinal));
    }
}
