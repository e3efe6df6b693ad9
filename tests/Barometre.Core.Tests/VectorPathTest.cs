using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Barometre.Core.Tests;

/// <summary>
/// Which vector path the kernels take. .ci/run runs the kernel tests again under the runtime's switches
/// (<c>DOTNET_EnableAVX512=0</c>, <c>DOTNET_EnableAVX2=0</c>, <c>DOTNET_EnableHWIntrinsic=0</c>) with
/// <c>BAROMETRE_EXPECT_VECTOR_PATH</c> saying which path each run must take, so that a switch the runtime stopped
/// honouring fails instead of testing the native path four times.
/// </summary>
public sealed class VectorPathTest
{
    private const string Expectation = "BAROMETRE_EXPECT_VECTOR_PATH";

    [Fact]
    public void HardwarePath_IsTheOneTheRunExpects()
    {
        var expected = Environment.GetEnvironmentVariable(Expectation);
        if (expected is null)
        {
            if (!string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                var reason = $"{Expectation} is not set (512, 256, 128 or scalar): the vector path ({Kernels.HardwarePath}) is not checked.";
                Console.Error.WriteLine(reason + " SKIPPED.");
                Assert.Skip(reason);
            }
            // CI's first run is the native one: no switch lowers the path, and it is as wide as the processor allows.
            Assert.DoesNotContain(Environment.GetEnvironmentVariables().Keys.Cast<string>(), name => name.StartsWith("DOTNET_Enable", StringComparison.OrdinalIgnoreCase));
            Assert.True(Kernels.HardwarePath >= NativeFloor(), $"native run on {Kernels.InstructionSets}: {Kernels.HardwarePath}");
            return;
        }
        var path = expected switch
        {
            "512" => VectorPath.Vector512,
            "256" => VectorPath.Vector256,
            "128" => VectorPath.Vector128,
            "scalar" => VectorPath.Scalar,
            _ => throw new InvalidOperationException($"{Expectation}={expected}: expected 512, 256, 128 or scalar."),
        };

        Assert.Equal(path, Kernels.HardwarePath);
        Assert.Equal(path, Kernels.Path);
    }

    [Fact]
    public void HardwarePath_MatchesTheInstructionSets()
    {
        // The 128-bit path needs SSE4.2 or AdvSimd; the 256-bit path AVX2, and FMA comes with it on every processor that has it.
        var sets = Kernels.InstructionSets.Split(", ");
        switch (Kernels.HardwarePath)
        {
            case VectorPath.Scalar:
                Assert.Equal(["aucun"], sets);
                break;
            case VectorPath.Vector128:
                Assert.DoesNotContain("AVX2", sets);
                Assert.True(sets.Contains("SSE4.2") || sets.Contains("AdvSimd"), Kernels.InstructionSets);
                break;
            case VectorPath.Vector256:
                Assert.Contains("AVX2", sets);
                break;
            case VectorPath.Vector512:
                Assert.Contains("AVX-512", sets);
                break;
        }
    }

    [Theory]
    [InlineData(VectorPath.Scalar)]
    [InlineData(VectorPath.Vector128)]
    [InlineData(VectorPath.Vector256)]
    [InlineData(VectorPath.Vector512)]
    public void ForcePath_FlowsIntoParallelLoops(VectorPath path)
    {
        var seen = new VectorPath[64];

        using (Kernels.ForcePath(path))
        {
            Parallel.For(0, seen.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => seen[i] = Kernels.Path);
        }

        Assert.All(seen, taken => Assert.Equal(path, taken));
    }

    [Fact]
    public void ForcePath_RestoresThePreviousPathOnDispose()
    {
        var other = Kernels.HardwarePath == VectorPath.Scalar ? VectorPath.Vector128 : VectorPath.Scalar;

        using (Kernels.ForcePath(other))
        {
            using (Kernels.ForcePath(VectorPath.Vector512))
            {
                Assert.Equal(VectorPath.Vector512, Kernels.Path);
            }
            Assert.Equal(other, Kernels.Path);
        }

        Assert.Equal(Kernels.HardwarePath, Kernels.Path);
    }

    [Fact]
    public async Task ForcePath_StaysInItsOwnFlow()
    {
        var other = Kernels.HardwarePath == VectorPath.Scalar ? VectorPath.Vector128 : VectorPath.Scalar;
        using var forced = new SemaphoreSlim(0);
        using var checkedElsewhere = new SemaphoreSlim(0);

        var forcing = Task.Run(async () =>
        {
            using (Kernels.ForcePath(other))
            {
                forced.Release();
                await checkedElsewhere.WaitAsync(TestContext.Current.CancellationToken);
                return Kernels.Path;
            }
        }, TestContext.Current.CancellationToken);
        await forced.WaitAsync(TestContext.Current.CancellationToken);
        var here = Kernels.Path;
        checkedElsewhere.Release();

        Assert.Equal((Kernels.HardwarePath, other), (here, await forcing));
    }

    [Fact]
    public void Widths_EveryKernelFollowsTheForcedPath()
    {
        var other = Kernels.HardwarePath == VectorPath.Scalar ? VectorPath.Vector128 : VectorPath.Scalar;

        using (Kernels.ForcePath(other))
        {
            Assert.Equal(Kernels.KernelNames.Select(kernel => (kernel, other)), Kernels.Widths());
        }
        Assert.Equal(Kernels.KernelNames.Select(kernel => (kernel, Kernels.HardwarePath)), Kernels.Widths());
    }

    [Theory]
    [InlineData(VectorPath.Scalar, "scalaire")]
    [InlineData(VectorPath.Vector128, "128 bits")]
    [InlineData(VectorPath.Vector256, "256 bits")]
    [InlineData(VectorPath.Vector512, "512 bits")]
    public void Describe_SaysTheWidthInFrench(VectorPath path, string expected) => Assert.Equal(expected, Kernels.Describe(path));

    /// <summary>
    /// The narrowest path the processor's own report allows, whatever the runtime's switches say: 256 bits with AVX2
    /// (CPUID leaf 7, EBX bit 5), 128 bits on any ARM64 (AdvSimd is part of the architecture).
    /// </summary>
    private static VectorPath NativeFloor() =>
        X86Base.IsSupported && (X86Base.CpuId(7, 0).Ebx & (1 << 5)) != 0 ? VectorPath.Vector256
        : RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? VectorPath.Vector128
        : VectorPath.Scalar;
}
