using System.CommandLine;
using Barometre.Cli.Commands;

namespace Barometre.Cli;

/// <summary>The <c>barometre</c> command: its subcommands and how outcomes map to exit codes.</summary>
internal static class BarometreCli
{
    public static RootCommand CreateRootCommand(CliContext context) =>
        new("Baromètre : référentiels de maturité numérique, calcul et publication des résultats d'un panel de collectivités.")
        {
            ComputeCommand.Create(context),
            ValidateCommand.Create(context),
            ReportCommand.Create(context),
            DemoCommand.Create(context),
            ServeCommand.Create(context),
            CampaignCommand.Create(context),
            AdminCommand.Create(context),
            ApiKeyCommand.Create(context),
        };

    /// <summary>Parses and runs a command line; returns the process exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, TimeProvider? clock = null, TextReader? stdin = null)
    {
        var context = new CliContext(stdout, stderr, clock ?? TimeProvider.System, stdin ?? Console.In);
        var parse = CreateRootCommand(context).Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"barometre : {error.Message}");
            }
            stderr.WriteLine("Voir « barometre --help » ou « barometre <commande> --help ».");
            return ExitCodes.UsageError;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            stderr.WriteLine($"barometre : erreur interne : {e.Message}");
            if (Environment.GetEnvironmentVariable("BAROMETRE_DEBUG") is "1")
            {
                stderr.WriteLine(e);
            }
            else
            {
                stderr.WriteLine("Relancez avec BAROMETRE_DEBUG=1 pour le détail, et signalez-le.");
            }
            return ExitCodes.InternalError;
        }
    }
}

/// <summary>Where a command writes (the real console, or captured writers in tests) and the clock it reads.</summary>
internal sealed record CliContext(TextWriter Out, TextWriter Error, TimeProvider Clock, TextReader In)
{
    /// <summary>Today, in the machine's time zone, for dates printed on documents.</summary>
    public DateOnly Today => DateOnly.FromDateTime(Clock.GetLocalNow().DateTime);
}
