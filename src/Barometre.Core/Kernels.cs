using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Barometre.Core;

/// <summary>
/// Compiles hot loops ahead of their first call. Methods marked <see cref="MethodImplOptions.AggressiveOptimization"/>
/// are compiled for the machine's vectors when first called, never taken from precompiled (ReadyToRun) code, which
/// costs milliseconds each; a program busy on one core can have another compile them meanwhile.
/// </summary>
public static class Kernels
{
    private static readonly AsyncLocal<VectorPath?> Forced = new();

    /// <summary>
    /// The widest vectors this processor accelerates, as the runtime reports them at start-up
    /// (<see cref="Vector512.IsHardwareAccelerated"/>, then 256 and 128 bits; the runtime's <c>DOTNET_EnableAVX512=0</c>,
    /// <c>DOTNET_EnableAVX2=0</c> and <c>DOTNET_EnableHWIntrinsic=0</c> lower it). A kernel never runs a wider type
    /// than this through the runtime's software emulation.
    /// </summary>
    public static VectorPath HardwarePath { get; } =
        Vector512.IsHardwareAccelerated ? VectorPath.Vector512
        : Vector256.IsHardwareAccelerated ? VectorPath.Vector256
        : Vector128.IsHardwareAccelerated ? VectorPath.Vector128
        : VectorPath.Scalar;

    /// <summary>The path the kernels take: <see cref="HardwarePath"/>, unless a test forced another one in its flow.</summary>
    // Until a test forces a path, no AsyncLocal is read (about 10 ns a call, which a short sum called millions of times feels).
    public static VectorPath Path => anyForced ? Forced.Value ?? HardwarePath : HardwarePath;

    private static volatile bool anyForced;

    /// <summary>
    /// Makes the kernels called from this asynchronous flow (and the parallel loops it starts) take
    /// <paramref name="path"/> until the result is disposed: tests run every path on one machine and compare the bytes.
    /// A path wider than the hardware's runs through the runtime's emulation: right, but slow.
    /// </summary>
    internal static IDisposable ForcePath(VectorPath path)
    {
        anyForced = true;
        var previous = Forced.Value;
        Forced.Value = path;
        return new Restore(previous);
    }

    /// <summary>
    /// The vector width each kernel takes in this flow, in the order the computation runs them, for <c>--version</c> and
    /// <c>--timings</c>: <see cref="Path"/>. (The CSV scan splits fields on it; it finds line ends with .NET's own
    /// <c>SearchValues</c>, at the widest width the runtime accelerates, which is <see cref="HardwarePath"/>.)
    /// </summary>
    public static IReadOnlyList<(string Kernel, VectorPath Path)> Widths()
    {
        var path = Path;
        return [.. KernelNames.Select(kernel => (kernel, EightLaneKernels.Contains(kernel) && path > VectorPath.Vector256 ? VectorPath.Vector256 : path))];
    }

    /// <summary>The kernels whose eight lanes of doubles are two 256-bit registers on the 512-bit path too (IEightDoubles).</summary>
    private static readonly string[] EightLaneKernels = ["distributions et statistiques", "bootstrap", "corrélations"];

    /// <summary>The kernels, in the order the computation runs them.</summary>
    public static IReadOnlyList<string> KernelNames { get; } =
        ["lecture CSV", "distributions et statistiques", "bootstrap", "k-means", "silhouette", "corrélations"];

    /// <summary>
    /// The vector instruction sets the runtime uses on this processor, widest first (« AVX2, AVX, FMA, SSE4.2 »,
    /// « AdvSimd »), or « aucun »: what <see cref="HardwarePath"/> was chosen from, and whether fused multiply-adds exist.
    /// </summary>
    public static string InstructionSets { get; } = string.Join(", ", new (bool Supported, string Name)[]
    {
        (Avx512F.IsSupported, "AVX-512"),
        (Avx2.IsSupported, "AVX2"),
        (Avx.IsSupported, "AVX"),
        (Fma.IsSupported, "FMA"),
        (Sse42.IsSupported, "SSE4.2"),
        (AdvSimd.IsSupported, "AdvSimd"),
    }.Where(set => set.Supported).Select(set => set.Name).DefaultIfEmpty("aucun"));

    /// <summary>A width in French: « 256 bits », « scalaire ».</summary>
    public static string Describe(VectorPath path) => path == VectorPath.Scalar ? "scalaire" : $"{(int)path} bits";

    /// <summary>
    /// Compiles every method marked <see cref="MethodImplOptions.AggressiveOptimization"/> of <paramref name="owners"/>
    /// and of their nested types (generic types: the closed ones given). Changes no result.
    /// </summary>
    /// <returns>The methods compiled, as <c>Type.Method</c>.</returns>
    public static IReadOnlyList<string> Prepare(params Type[] owners)
    {
        ArgumentNullException.ThrowIfNull(owners);
        var prepared = new List<string>();
        const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        foreach (var type in owners.SelectMany(WithNested).Where(type => !type.ContainsGenericParameters))
        {
            foreach (var method in type.GetMethods(Declared).Where(m => !m.ContainsGenericParameters
                && (m.MethodImplementationFlags & MethodImplAttributes.AggressiveOptimization) != 0))
            {
                RuntimeHelpers.PrepareMethod(method.MethodHandle, type.IsGenericType ? [.. type.GetGenericArguments().Select(a => a.TypeHandle)] : null);
                prepared.Add($"{type.Name}.{method.Name}");
            }
        }
        return prepared;

        static IEnumerable<Type> WithNested(Type type) => [type, .. type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic).SelectMany(WithNested)];
    }

    /// <summary>Compiles the given closed generic methods (a kernel's instantiation for one path) ahead of their first call.</summary>
    /// <returns>The methods compiled, as <c>Type.Method</c>.</returns>
    internal static IReadOnlyList<string> PrepareInstantiations(IEnumerable<MethodInfo> instantiations)
    {
        var prepared = new List<string>();
        foreach (var method in instantiations)
        {
            RuntimeHelpers.PrepareMethod(method.MethodHandle, [.. method.GetGenericArguments().Select(argument => argument.TypeHandle)]);
            prepared.Add($"{method.DeclaringType!.Name}.{method.Name}");
        }
        return prepared;
    }

    private sealed class Restore(VectorPath? previous) : IDisposable
    {
        public void Dispose() => Forced.Value = previous;
    }
}
