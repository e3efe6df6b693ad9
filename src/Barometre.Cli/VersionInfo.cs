using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using System.Runtime.InteropServices;
using Barometre.Core;

namespace Barometre.Cli;

/// <summary>
/// <c>barometre --version</c>: the version, the runtime, and the vectors each kernel computes with on this processor
/// (which the runtime's switches, such as <c>DOTNET_EnableAVX2=0</c>, lower).
/// </summary>
internal static class VersionInfo
{
    public const string Description = "Afficher la version et la largeur des vecteurs de chaque calcul sur ce processeur";

    /// <summary>The processor's vector path and the instruction sets it comes from, also the first line of <c>compute --timings</c>.</summary>
    public static string PathLine =>
        $"Vecteurs : {Kernels.Describe(Kernels.HardwarePath)} (jeux d'instructions : {Kernels.InstructionSets})";

    public static void Write(TextWriter output)
    {
        var version = typeof(VersionInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        output.WriteLine($"barometre {version}");
        output.WriteLine($"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.ProcessArchitecture}");
        output.WriteLine(PathLine);
        output.WriteLine("Largeur des vecteurs de chaque calcul :");
        var widths = Kernels.Widths();
        var column = widths.Max(width => width.Kernel.Length) + 2;
        foreach (var (kernel, path) in widths)
        {
            output.WriteLine($"  {kernel.PadRight(column)}{Kernels.Describe(path)}");
        }
    }

    /// <summary>Replaces System.CommandLine's own <c>--version</c>, which prints the version alone, in English.</summary>
    public static void Replace(RootCommand root)
    {
        var option = root.Options.OfType<VersionOption>().Single();
        option.Description = Description;
        option.Action = new Print();
    }

    private sealed class Print : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            Write(parseResult.InvocationConfiguration.Output);
            return ExitCodes.Success;
        }
    }
}
