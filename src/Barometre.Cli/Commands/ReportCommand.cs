using System.CommandLine;
using System.Diagnostics;
using Barometre.Core;
using Barometre.Core.Model;
using Barometre.Core.Publication;
using Barometre.Core.Responses;
using Barometre.Core.Results;
using Barometre.Core.Robustness;
using Barometre.Reports;
using Barometre.Reports.Pdf;
using Spectre.Console;

namespace Barometre.Cli.Commands;

/// <summary>
/// <c>barometre report</c>: the study (HTML, and PDF through chromium), or the confidential report of
/// one collectivité or of all.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(CliContext context)
    {
        var model = CommonOptions.Model();
        var responses = CommonOptions.Responses(required: false);
        var sheet = CommonOptions.Sheet("--responses");
        var results = new Option<string?>("--results") { Description = "Fichier de résultats JSON (barometre compute) : étude sans analyse de robustesse ni rapports individuels" };
        var output = new Option<string?>("--out", "-o") { Description = "Étude : fichier HTML à écrire ; --individual/--all : dossier des rapports" };
        var pdf = new Option<string?>("--pdf")
        {
            Description = "Étude : fichier PDF à écrire ; --individual/--all : écrire aussi le PDF de chaque rapport (chromium requis)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var previousModel = new Option<string?>("--previous-model")
        {
            Description = "Référentiel de l'édition précédente (avec --previous) : l'étude et les rapports montrent l'évolution depuis cette édition",
        };
        var previous = new Option<string?>("--previous") { Description = "Réponses de l'édition précédente (CSV large ou classeur .xlsx, sa première feuille), avec --previous-model" };
        var individual = new Option<string?>("--individual") { Description = "Code de la collectivité dont produire le rapport confidentiel" };
        var all = new Option<bool>("--all") { Description = "Produire le rapport confidentiel de chaque collectivité" };
        var seed = CommonOptions.Seed();
        var bootstrap = CommonOptions.Bootstrap();
        var k = CommonOptions.K();
        var draws = CommonOptions.Validated(
            new Option<int>("--robustness-draws") { Description = "Tirages de pondérations de l'analyse de robustesse", DefaultValueFactory = _ => new SensitivityOptions().Draws },
            d => d >= 1,
            "--robustness-draws doit valoir au moins 1.");
        var threshold = CommonOptions.Threshold(
            "Rapports individuels : seuil du secret statistique, nombre minimal de collectivités d'un groupe comparé (type, strate de population)",
            PanelBenchmark.DefaultMinimumGroupSize);
        var command = new Command("report", "Produit l'étude du baromètre (HTML autonome et PDF) ou les rapports confidentiels des collectivités.")
        {
            model, responses, sheet, results, output, pdf, previousModel, previous, individual, all, seed, bootstrap, k, draws, threshold,
        };
        command.Validators.Add(result =>
        {
            var hasResponses = result.GetResult(responses) is not null;
            var hasResults = result.GetResult(results) is not null;
            var perCollectivite = result.GetResult(individual) is not null || result.GetValue(all);
            if (hasResponses == hasResults)
            {
                result.AddError("indiquez soit --responses (le fichier de réponses), soit --results (un fichier de résultats).");
            }
            else if (perCollectivite && !hasResponses)
            {
                result.AddError("Les rapports individuels se calculent à partir des réponses : indiquez --responses.");
            }
            var hasPrevious = result.GetResult(previous) is not null;
            if (hasPrevious != (result.GetResult(previousModel) is not null))
            {
                result.AddError("--previous et --previous-model vont ensemble : indiquez les réponses et le référentiel de l'édition précédente.");
            }
            else if (hasPrevious && hasResults)
            {
                result.AddError("L'évolution se calcule à partir des réponses des deux éditions : indiquez --responses plutôt que --results.");
            }
            if (result.GetResult(individual) is not null && result.GetValue(all))
            {
                result.AddError("--individual et --all s'excluent : choisissez l'un ou l'autre.");
            }
            if (perCollectivite && result.GetResult(output) is null)
            {
                result.AddError("Indiquez avec --out le dossier où écrire les rapports.");
            }
            if (!perCollectivite && result.GetResult(output) is null && result.GetValue(pdf) is null)
            {
                result.AddError("Indiquez le fichier de l'étude : --out etude.html et/ou --pdf etude.pdf.");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var request = new ReportRequest(
                parse.GetValue(model)!,
                parse.GetValue(responses),
                parse.GetValue(sheet),
                parse.GetValue(results),
                parse.GetValue(output),
                parse.GetResult(pdf) is not null,
                parse.GetValue(pdf),
                parse.GetValue(previousModel),
                parse.GetValue(previous),
                parse.GetValue(individual),
                parse.GetValue(all),
                new BarometerOptions { Seed = parse.GetValue(seed), Bootstrap = parse.GetValue(bootstrap), K = parse.GetValue(k) },
                parse.GetValue(draws),
                parse.GetValue(threshold));
            return await PdfOutput.RunAsync(context, () => RunAsync(context, request, cancellationToken));
        });
        return command;
    }

    private sealed record ReportRequest(
        string Model, string? Responses, string? Sheet, string? Results, string? Output, bool WantsPdf, string? PdfPath,
        string? PreviousModel, string? Previous, string? Individual, bool All, BarometerOptions Options, int RobustnessDraws, int Threshold);

    private static async Task<int> RunAsync(CliContext context, ReportRequest request, CancellationToken cancellationToken)
    {
        MaturityModel? model;
        ResponseSet? responses = null;
        BarometerResults results;
        PreviousEdition? previous = null;
        if (request.Previous is not null)
        {
            // The report's edition is the later one of the comparison: loaded, computed and compared once.
            var editions = CompareCommand.Load(context, request.PreviousModel!, request.Previous, request.Model, request.Responses!, request.Options, request.Sheet);
            if (editions is null)
            {
                return ExitCodes.InvalidInput;
            }
            (model, responses, results) = (editions.Mapping.Later, editions.After, editions.AfterResults);
            previous = new PreviousEdition(editions.Mapping, editions.Evolution);
        }
        else if ((model = Inputs.LoadModel(request.Model, context.Error)) is null)
        {
            return ExitCodes.InvalidInput;
        }
        else if (request.Responses is not null)
        {
            responses = Inputs.LoadResponses(request.Responses, model, context.Error, request.Sheet);
            if (responses is null)
            {
                return ExitCodes.InvalidInput;
            }
            results = Barometer.Compute(responses, request.Options);
        }
        else if (Inputs.LoadResults(request.Results!, model, context.Error) is { } read)
        {
            results = read;
        }
        else
        {
            return ExitCodes.InvalidInput;
        }
        foreach (var warning in results.Warnings)
        {
            context.Error.WriteLine($"avertissement : {warning}");
        }
        var robustness = responses is null
            ? null
            : WeightSensitivity.Analyse(responses, results, new SensitivityOptions { Draws = request.RobustnessDraws, Seed = request.Options.Seed });

        if (request.Individual is null && !request.All)
        {
            // Like the weight analysis, only from the answers: a results file may not be the one they give.
            var seedStability = responses is null ? null : SeedStability.Analyse(results);
            return await WriteStudyAsync(context, request, new StudyReportData(model, results, robustness, context.Today, previous, seedStability), cancellationToken);
        }
        return await WriteIndividualReportsAsync(context, request, responses!, results, robustness, previous, cancellationToken);
    }

    /// <summary>The study PDF's subject.</summary>
    private static string StudySubject(int respondents) =>
        $"Étude du baromètre : résultats de {FrenchFormat.Count(respondents)} collectivités, méthode et robustesse";

    private static async Task<int> WriteStudyAsync(CliContext context, ReportRequest request, StudyReportData data, CancellationToken cancellationToken)
    {
        string html;
        await using (var renderer = new ReportRenderer())
        {
            html = await renderer.RenderStudyAsync(data);
        }
        if (request.Output is not null)
        {
            AtomicFile.Write(request.Output, html);
            context.Out.WriteLine($"Étude écrite dans {request.Output}.");
        }
        if (request.WantsPdf)
        {
            var pdfPath = request.PdfPath ?? Path.ChangeExtension(request.Output!, ".pdf");
            var bytes = await PdfOutput.PrintAsync(
                html, data.Model.Edition is null ? data.Model.Title : $"{data.Model.Title} — édition {data.Model.Edition}", StudySubject(data.Results.Respondents), cancellationToken);
            AtomicFile.Write(pdfPath, bytes);
            context.Out.WriteLine($"PDF écrit dans {pdfPath}.");
        }
        return ExitCodes.Success;
    }

    private static async Task<int> WriteIndividualReportsAsync(
        CliContext context, ReportRequest request, ResponseSet responses, BarometerResults results, SensitivityResults? robustness, PreviousEdition? previous,
        CancellationToken cancellationToken)
    {
        var indices = Enumerable.Range(0, responses.Count).ToList();
        if (request.Individual is { } code)
        {
            var index = indices.FindIndex(i => responses.Respondents[i].Code == code);
            if (index < 0)
            {
                context.Error.WriteLine($"barometre : aucune collectivité de code « {code} » dans {request.Responses}.");
                return ExitCodes.InvalidInput;
            }
            indices = [index];
        }
        Directory.CreateDirectory(request.Output!);
        var benchmark = new PanelBenchmark(responses, results, SecrecyPlan.Build(responses, request.Threshold));
        var stability = robustness?.Respondents.ToDictionary(r => r.Code, StringComparer.Ordinal) ?? [];
        var date = context.Today;
        var names = FileNames(responses);
        await using var printer = request.WantsPdf ? await ChromiumPdfPrinter.StartAsync(cancellationToken: cancellationToken) : null;

        var stopwatch = Stopwatch.StartNew();
        var progress = new ProgressReporter(context.Out, indices.Count);
        // Workers each own a renderer (not thread-safe) and take collectivités from a shared queue.
        var queue = new System.Collections.Concurrent.ConcurrentQueue<int>(indices);
        var workers = Math.Max(1, Math.Min(Environment.ProcessorCount, indices.Count));
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(
            async () =>
            {
                await using var renderer = new ReportRenderer();
                while (queue.TryDequeue(out var i))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var respondent = responses.Respondents[i];
                    var data = new IndividualReportData(responses, results, benchmark, i, date, stability.GetValueOrDefault(respondent.Code), previous);
                    var html = await renderer.RenderIndividualAsync(data);
                    var path = Path.Combine(request.Output!, names[i]);
                    AtomicFile.Write(path + ".html", html, durable: false);
                    if (printer is not null)
                    {
                        var bytes = await printer.PrintAsync(html, new PdfOptions { FooterText = $"{respondent.Name} — rapport confidentiel", Subject = $"Rapport confidentiel de {respondent.Name} : sa position dans le baromètre" }, cancellationToken);
                        AtomicFile.Write(path + ".pdf", bytes, durable: false);
                    }
                    progress.Advance();
                }
            },
            cancellationToken)));
        progress.Complete();
        context.Out.WriteLine(
            $"{Inputs.Plural(indices.Count, "rapport confidentiel écrit", "rapports confidentiels écrits")} dans {request.Output} en {FrenchFormat.Number(stopwatch.Elapsed.TotalSeconds, 1)} s.");
        return ExitCodes.Success;
    }

    /// <summary>A file name per collectivité from its code, safe on every file system and unique.</summary>
    private static string[] FileNames(ResponseSet responses)
    {
        var invalid = Path.GetInvalidFileNameChars().Concat(['\\', ':', '*', '?', '"', '<', '>', '|']).ToHashSet();
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var names = new string[responses.Count];
        for (var i = 0; i < names.Length; i++)
        {
            var name = new string([.. responses.Respondents[i].Code.Select(c => invalid.Contains(c) || char.IsControl(c) ? '_' : c)]).Trim('.', ' ');
            var candidate = name.Length == 0 ? "collectivite" : name;
            for (var n = 2; !used.Add(candidate); n++)
            {
                candidate = $"{name}-{n}";
            }
            names[i] = candidate;
        }
        return names;
    }

    /// <summary>A progress bar on a terminal; elsewhere (logs, tests), a line at every tenth.</summary>
    private sealed class ProgressReporter
    {
        private readonly TextWriter _out;
        private readonly int _total;
        private readonly ProgressTask? _task;
        private readonly Task? _display;
        private readonly TaskCompletionSource _done = new();
        private int _count;

        public ProgressReporter(TextWriter output, int total)
        {
            _out = output;
            _total = total;
            if (ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && total > 1)
            {
                var ready = new TaskCompletionSource<ProgressTask>();
                _display = AnsiConsole.Progress().AutoClear(false).StartAsync(async progress =>
                {
                    ready.SetResult(progress.AddTask("Rapports confidentiels", maxValue: total));
                    await _done.Task;
                });
                _task = ready.Task.GetAwaiter().GetResult();
            }
        }

        public void Advance()
        {
            var count = Interlocked.Increment(ref _count);
            if (_task is not null)
            {
                _task.Increment(1);
            }
            else if (_total >= 10 && count % (_total / 10) == 0)
            {
                lock (_out)
                {
                    _out.WriteLine($"… {FrenchFormat.Count(count)} / {FrenchFormat.Count(_total)} rapports");
                }
            }
        }

        public void Complete()
        {
            _done.TrySetResult();
            _display?.GetAwaiter().GetResult();
        }
    }
}
