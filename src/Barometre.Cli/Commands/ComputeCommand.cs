using System.CommandLine;
using System.Globalization;
using Barometre.Core;
using Barometre.Core.Results;
using Barometre.Data.Import;

namespace Barometre.Cli.Commands;

/// <summary><c>barometre compute</c>: a model and a panel's answers in, the results JSON out.</summary>
internal static class ComputeCommand
{
    public static Command Create(CliContext context)
    {
        var model = CommonOptions.Model();
        var responses = CommonOptions.Responses(required: true);
        var sheet = CommonOptions.Sheet("--responses");
        var output = new Option<string?>("--out", "-o") { Description = "Fichier de résultats JSON à écrire (sortie standard par défaut)" };
        var seed = CommonOptions.Seed();
        var bootstrap = CommonOptions.Bootstrap();
        var k = CommonOptions.K();
        var timings = new Option<bool>("--timings") { Description = "Afficher sur la sortie d'erreur la durée de chaque étape (lecture, calculs, écriture)" };
        var command = new Command("compute", "Calcule le baromètre : distributions, indicateurs clés, scores, classement, corrélations, fiabilité, segments.")
        {
            model, responses, sheet, output, seed, bootstrap, k, timings,
        };
        command.SetAction(parse =>
        {
            var options = new BarometerOptions
            {
                Seed = parse.GetValue(seed),
                Bootstrap = parse.GetValue(bootstrap),
                K = parse.GetValue(k),
                Timings = parse.GetValue(timings) ? new ComputationTimings(TimeProvider.System) : null,
            };
            return Run(context, parse.GetValue(model)!, parse.GetValue(responses)!, parse.GetValue(sheet), parse.GetValue(output), options);
        });
        return command;
    }

    private static int Run(CliContext context, string modelPath, string responsesPath, string? sheet, string? outputPath, BarometerOptions options)
    {
        var timings = options.Timings ?? ComputationTimings.None;
        var start = TimeProvider.System.GetTimestamp();
        // Reading the files keeps one core busy: the other compiles the kernels meanwhile, the reader's first (the
        // model is read before it is needed).
        _ = Task.Run(() =>
        {
            ResponsesCsv.PrepareReader();
            Barometer.PrepareKernels();
        });
        var model = timings.Measure("lecture du référentiel", () => Inputs.LoadModel(modelPath, context.Error));
        if (model is null)
        {
            return ExitCodes.InvalidInput;
        }
        var responses = timings.Measure("lecture des réponses", () => Inputs.LoadResponses(responsesPath, model, context.Error, sheet));
        if (responses is null)
        {
            return ExitCodes.InvalidInput;
        }
        // The silhouette is still being computed when this returns: the rest of the results is written meanwhile.
        var pending = Barometer.Start(responses, options);
        foreach (var warning in pending.Partial.Warnings)
        {
            context.Error.WriteLine($"avertissement : {warning}");
        }
        timings.Measure("écriture des résultats", () =>
        {
            if (outputPath is null)
            {
                context.Out.WriteLine(ResultsJson.Serialize(pending.Complete()));
            }
            else
            {
                AtomicFile.Write(outputPath, stream => ResultsJson.Write(pending, stream));
            }
            return pending;
        });
        if (options.Timings is not null)
        {
            context.Error.WriteLine(VersionInfo.PathLine);
            foreach (var (phase, duration) in timings.Phases)
            {
                context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{phase,-32}{duration.TotalMilliseconds,9:F1} ms"));
            }
            // Elapsed from the first phase's start to the last one's end, gaps between phases included.
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"total",-32}{TimeProvider.System.GetElapsedTime(start).TotalMilliseconds,9:F1} ms"));
        }
        return ExitCodes.Success;
    }
}
