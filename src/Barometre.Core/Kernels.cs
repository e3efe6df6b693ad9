using System.Reflection;
using System.Runtime.CompilerServices;

namespace Barometre.Core;

/// <summary>
/// Compiles hot loops ahead of their first call. Methods marked <see cref="MethodImplOptions.AggressiveOptimization"/>
/// are compiled for the machine's vectors when first called, never taken from precompiled (ReadyToRun) code, which
/// costs milliseconds each; a program busy on one core can have another compile them meanwhile.
/// </summary>
public static class Kernels
{
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
}
