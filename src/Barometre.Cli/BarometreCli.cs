using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Barometre.Cli.Commands;
using Barometre.Data.Storage;

namespace Barometre.Cli;

/// <summary>The <c>barometre</c> command: its subcommands and how outcomes map to exit codes.</summary>
internal static class BarometreCli
{
    public static RootCommand CreateRootCommand(CliContext context)
    {
        var root = new RootCommand("Baromètre : référentiels de maturité numérique, calcul et publication des résultats d'un panel de collectivités.")
        {
            ComputeCommand.Create(context),
            CompareCommand.Create(context),
            ValidateCommand.Create(context),
            ImportCommand.Create(context),
            ReportCommand.Create(context),
            ExportCommand.Create(context),
            DemoCommand.Create(context),
            ServeCommand.Create(context),
            CampaignCommand.Create(context),
            AdminCommand.Create(context),
            ApiKeyCommand.Create(context),
            PrivacyCommand.Create(context),
            BackupCommand.CreateBackup(context),
            BackupCommand.CreateRestore(context),
        };
        var help = root.Options.OfType<HelpOption>().Single();
        help.Description = CommandLineFrench.HelpDescription;
        help.Action = new HelpWithExitCodes((HelpAction)help.Action!);
        VersionInfo.Replace(root);
        return root;
    }

    /// <summary>Parses and runs a command line; returns the process exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, TimeProvider? clock = null, TextReader? stdin = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        // Everything the command says is French, System.CommandLine's own words (help headings, parse errors) included,
        // whatever the machine's language; set before the commands are built, as their help option takes its text then.
        var culture = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = French;
        try
        {
            return RunInFrench(args, stdout, stderr, clock, stdin, settings);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = culture;
        }
    }

    private static readonly System.Globalization.CultureInfo French = System.Globalization.CultureInfo.GetCultureInfo("fr-FR");

    private static int RunInFrench(string[] args, TextWriter stdout, TextWriter stderr, TimeProvider? clock, TextReader? stdin, IReadOnlyDictionary<string, string?>? settings)
    {
        var context = new CliContext(stdout, stderr, clock ?? TimeProvider.System, stdin ?? Console.In, settings);
        var parse = CreateRootCommand(context).Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"barometre : {CommandLineFrench.Error(error.Message)}");
            }
            stderr.WriteLine("Voir « barometre --help » ou « barometre <commande> --help ».");
            return ExitCodes.UsageError;
        }
        try
        {
            if (parse.Action is not HelpAction and not HelpWithExitCodes)
            {
                DataOptions.SecureExisting(parse, stderr);
            }
            if (parse.Action is HelpWithExitCodes)
            {
                using var help = new StringWriter();
                var code = parse.Invoke(new InvocationConfiguration { Output = help, Error = stderr, EnableDefaultExceptionHandler = false });
                stdout.Write(CommandLineFrench.Help(help.ToString()));
                return code;
            }
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (EnvironmentFailure.Explain(e) is { } explanation)
        {
            // Not a bug: a file, a folder or the database that the machine makes unusable, named by the message.
            stderr.WriteLine($"barometre : {explanation}");
            WriteDetail(e, stderr, hint: false);
            return ExitCodes.Environment;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            stderr.WriteLine($"barometre : erreur interne : {e.Message}");
            WriteDetail(e, stderr, hint: true);
            return ExitCodes.InternalError;
        }
    }

    /// <summary><c>barometre --help</c> ends with the exit codes.</summary>
    private sealed class HelpWithExitCodes(HelpAction help) : SynchronousCommandLineAction
    {
        /// <summary>As the help it wraps: « compute --help » is help, not a missing --model.</summary>
        public override bool ClearsParseErrors => help.ClearsParseErrors;

        public override int Invoke(ParseResult parseResult)
        {
            var code = help.Invoke(parseResult);
            if (parseResult.CommandResult.Command is RootCommand)
            {
                var output = parseResult.InvocationConfiguration.Output;
                output.WriteLine("Codes de sortie :");
                foreach (var (exit, meaning) in ExitCodes.All)
                {
                    output.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"  {exit}  {meaning}"));
                }
                output.WriteLine();
            }
            return code;
        }
    }

    /// <summary>The stack trace with BAROMETRE_DEBUG=1; otherwise, for a bug, how to get it.</summary>
    private static void WriteDetail(Exception e, TextWriter stderr, bool hint)
    {
        if (Environment.GetEnvironmentVariable("BAROMETRE_DEBUG") is "1")
        {
            stderr.WriteLine(e);
        }
        else if (hint)
        {
            stderr.WriteLine("Relancez avec BAROMETRE_DEBUG=1 pour le détail, et signalez-le.");
        }
    }
}

/// <summary>
/// Where a command writes (the real console, or captured writers in tests), the clock it reads, and settings given beside
/// the environment (<c>Barometre:Smtp:Host</c>…: tests name their mail server without touching the process's environment).
/// </summary>
internal sealed record CliContext(TextWriter Out, TextWriter Error, TimeProvider Clock, TextReader In, IReadOnlyDictionary<string, string?>? Settings = null)
{
    /// <summary>Today, in the machine's time zone, for dates printed on documents.</summary>
    public DateOnly Today => DateOnly.FromDateTime(Clock.GetLocalNow().DateTime);
}
