using System.Text.Json;

namespace Barometre.Cli.Tests;

public sealed class BarometreCliTest
{
    private const string Model = "maturite-numerique-2019";

    [Fact]
    public void Demo_PrintsASyntheticSummary()
    {
        var run = CliRun.Of("demo", "--summary-only");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("SYNTHÉTIQUES", run.Out, StringComparison.Ordinal);
        Assert.Contains("Panel fictif de 40 collectivités", run.Out, StringComparison.Ordinal);
        Assert.Contains("Chiffres clés", run.Out, StringComparison.Ordinal);
        Assert.Contains("Classement des thèmes", run.Out, StringComparison.Ordinal);
        foreach (var segment in new[] { "Stratèges", "Pragmatiques", "Retardataires" })
        {
            Assert.Contains(segment, run.Out, StringComparison.Ordinal);
        }
        Assert.Matches(@"\d+\u202F%", run.Out);
        Assert.Equal("", run.Error);

        // Then the evolution to the follow-up edition (40 collectivités in 2019: a tenth leaves, 15 % join).
        Assert.Matches(@"Indice global moyen : \d+,\d \(\d+,\d en 2019\), [+−]\d+,\d points? — évolution (non )?significative \(Wilcoxon apparié, p\u00A0[<=]\u00A0[0-9,]+\)", run.Out);
        Assert.Matches(@"\d+\u202F% \(\d+\u202F% en 2019\) │ +[+−]?\d+ points? │ (non )?significative \(McNemar apparié", run.Out);
        string[] evolution =
        [
            "Évolution 2019 → 2021",
            "Panel 2021 de 40 collectivités : 34 ont répondu aux deux éditions, 6 ont quitté le panel, 6 l'ont rejoint.",
            "Évolution des thèmes",
            "Numérique éducatif (en 2019 :",
            "« Territoire serviciel » (2019) : thème abandonné, sans équivalent dans l'édition 2021",
            "« Inclusion numérique » (2021) : nouveau thème, sans équivalent dans l'édition 2019",
            "« Numérique responsable » (2021) : nouveau thème",
        ];
        Assert.All(evolution, line => Assert.Contains(line, run.Out, StringComparison.Ordinal));
    }

    [Fact]
    public void Demo_WithOut_WritesTheFollowUpAndAnEvolutionThatCompareReproduces()
    {
        using var temp = new TempDirectory();

        var demo = CliRun.Of("demo", "--summary-only", "--out", temp.Path, "--seed", "7", "-n", "45");
        var compare = CliRun.Of(
            "compare", "--before-model", Model, "--before", temp.File("panel-synthetique.csv"),
            "--after-model", "maturite-numerique-2021", "--after", temp.File("panel-synthetique-2021.csv"), "--seed", "7", "--out", temp.File("recalcul.json"));

        Assert.Equal((0, 0), (demo.ExitCode, compare.ExitCode));
        Assert.Equal(File.ReadAllText(temp.File("evolution.json")), File.ReadAllText(temp.File("recalcul.json")));
        using var evolution = JsonDocument.Parse(File.ReadAllText(temp.File("evolution.json")));
        var root = evolution.RootElement;
        // 45 × 0,15 = 6,75 leave and as many join, each rounded to 7.
        Assert.Equal((45, 45, 38), (root.GetProperty("before").GetProperty("respondents").GetInt32(), root.GetProperty("after").GetProperty("respondents").GetInt32(), root.GetProperty("overlap").GetInt32()));
        // The summary prints the very figures of evolution.json.
        var index = root.GetProperty("index");
        Assert.Contains(
            $"Indice global moyen : {Barometre.Core.FrenchFormat.Number(index.GetProperty("after").GetDouble(), 1)} ({Barometre.Core.FrenchFormat.Number(index.GetProperty("before").GetDouble(), 1)} en 2019)",
            demo.Out, StringComparison.Ordinal);
        // On average the synthetic panel progresses.
        Assert.True(index.GetProperty("delta").GetDouble() > 0);
        Assert.Contains("panel-synthetique-2021.csv", demo.Out, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
    }

    [Fact]
    public void Demo_DefaultOptions_GivesTheFiguresComputeGivesWithItsDefaults()
    {
        using var temp = new TempDirectory();

        // The panel is drawn with --panel-seed; its figures use the one default computation seed.
        var demo = CliRun.Of("demo", "--summary-only", "--out", temp.Path);
        var compute = CliRun.Of("compute", "--model", Model, "--responses", temp.File("panel-synthetique.csv"), "--out", temp.File("recalcul.json"));

        Assert.Equal((0, 0), (demo.ExitCode, compute.ExitCode));
        Assert.Equal(File.ReadAllText(temp.File("resultats.json")), File.ReadAllText(temp.File("recalcul.json")));
        using var results = JsonDocument.Parse(File.ReadAllText(temp.File("resultats.json")));
        Assert.Equal(Barometre.Core.BarometerOptions.Default.Seed, results.RootElement.GetProperty("parameters").GetProperty("seed").GetInt64());
    }

    [Fact]
    public void Demo_WithOut_WritesAPanelThatComputeReproduces()
    {
        using var temp = new TempDirectory();

        var demo = CliRun.Of("demo", "--summary-only", "--out", temp.Path, "--seed", "7", "-n", "45");
        var compute = CliRun.Of("compute", "--model", Model, "--responses", temp.File("panel-synthetique.csv"), "--seed", "7", "--out", temp.File("recalcul.json"));

        Assert.Equal((0, 0), (demo.ExitCode, compute.ExitCode));
        Assert.Equal(File.ReadAllText(temp.File("resultats.json")), File.ReadAllText(temp.File("recalcul.json")));
        using var results = JsonDocument.Parse(File.ReadAllText(temp.File("resultats.json")));
        Assert.Equal(45, results.RootElement.GetProperty("respondents").GetInt32());
        Assert.All(results.RootElement.GetProperty("scores").EnumerateArray(), s =>
        {
            Assert.StartsWith("SYN", s.GetProperty("code").GetString(), StringComparison.Ordinal);
            Assert.Contains("fictive", s.GetProperty("nom").GetString(), StringComparison.Ordinal);
        });
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
    }

    [Fact]
    public void Compute_WithoutOut_WritesResultsJsonToStdout()
    {
        using var temp = new TempDirectory();
        CliRun.Of("demo", "--summary-only", "--out", temp.Path);

        var run = CliRun.Of("compute", "-m", Model, "-r", temp.File("panel-synthetique.csv"), "--bootstrap", "0", "--k", "4");

        Assert.Equal(0, run.ExitCode);
        using var results = JsonDocument.Parse(run.Out);
        Assert.Equal(1, results.RootElement.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(Model, results.RootElement.GetProperty("referential").GetString());
        Assert.Equal(4, results.RootElement.GetProperty("segments").GetProperty("groups").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, results.RootElement.GetProperty("themes")[0].GetProperty("ci95")[0].ValueKind);
    }

    [Fact]
    public void Compute_Timings_ListEveryPhaseOnStderrAndLeaveTheResultsAlone()
    {
        using var temp = new TempDirectory();
        CliRun.Of("demo", "--summary-only", "--out", temp.Path);
        var panel = temp.File("panel-synthetique.csv");

        var plain = CliRun.Of("compute", "-m", Model, "-r", panel, "--bootstrap", "50");
        var timed = CliRun.Of("compute", "-m", Model, "-r", panel, "--bootstrap", "50", "--timings");

        Assert.Equal(0, timed.ExitCode);
        Assert.Equal(plain.Out, timed.Out);
        // In the order they began (the silhouette goes on beside the phases after it).
        string[] phases = ["lecture du référentiel", "lecture des réponses", "scores de thème", "statistiques de thème et alpha", "bootstrap",
            "k-means", "silhouette", "distributions des questions", "indicateurs clés", "corrélations", "scores des collectivités",
            "écriture des résultats", "total"];
        var lines = timed.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // First the processor's vector path, as --version says it.
        Assert.Equal($"Vecteurs : {Barometre.Core.Kernels.Describe(Barometre.Core.Kernels.HardwarePath)} (jeux d'instructions : {Barometre.Core.Kernels.InstructionSets})", lines[0]);
        lines = lines[1..];
        Assert.Equal(phases, lines.Select(line => line[..32].TrimEnd()));
        Assert.All(lines, line => Assert.Matches(@"^.{32}\s*\d+\.\d ms$", line));
    }

    [Fact]
    public async Task Compute_OutToAFifo_WritesThroughItInsteadOfReplacingIt()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "named pipes made with mkfifo");
        using var temp = new TempDirectory();
        CliRun.Of("demo", "--summary-only", "--out", temp.Path);
        var fifo = Path.Combine(temp.Path, "resultats.fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo))
        {
            mkfifo.WaitForExit();
        }
        var reader = Task.Run(() => File.ReadAllText(fifo), TestContext.Current.CancellationToken);

        var run = CliRun.Of("compute", "-m", Model, "-r", temp.File("panel-synthetique.csv"), "--bootstrap", "0", "--out", fifo);

        Assert.Equal(0, run.ExitCode);
        using var results = JsonDocument.Parse(await reader.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.Equal(Model, results.RootElement.GetProperty("referential").GetString());
        // Still the pipe: a rename would have left a regular file in its place (as it once did to /dev/null).
        using var stat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%F", fifo]) { RedirectStandardOutput = true })!;
        Assert.Equal("fifo", stat.StandardOutput.ReadToEnd().Trim());
    }

    [Fact]
    public void Compute_ModelFromJsonFile()
    {
        using var temp = new TempDirectory();
        var model = temp.File("mini.json", """
            {"id": "mini", "themes": [
              {"id": "a", "title": "A", "questions": [{"id": "a.x", "label": "X"}, {"id": "a.y", "label": "Y"}]},
              {"id": "b", "title": "B", "weight": 2, "questions": [{"id": "b.x", "label": "X"}]}],
             "indicators": [{"id": "i", "question": "a.x", "predicate": ">= 3"}]}
            """);
        var responses = temp.File("r.csv", "code;nom;a.y;b.x;a.x\n1;Un;2;3;4\n2;Deux;NSP;1;0\n3;Trois;4;4;4\n4;Quatre;1;0;1\n");

        var run = CliRun.Of("compute", "--model", model, "--responses", responses, "--bootstrap", "10");

        Assert.Equal(0, run.ExitCode);
        using var results = JsonDocument.Parse(run.Out);
        Assert.Equal(2, results.RootElement.GetProperty("indicators")[0].GetProperty("count").GetInt32());
        Assert.Equal(75.0, results.RootElement.GetProperty("scores")[0].GetProperty("themes").GetProperty("a").GetDouble());
    }

    [Fact]
    public void Compute_InvalidCsv_ExitsOneWithEveryProblemAndNoStackTrace()
    {
        using var temp = new TempDirectory();
        var responses = temp.File("r.csv", "code,nom,inconnue\nA,Un,3\nA,Deux,5\n");
        var output = temp.File("resultats.json", "ancien contenu");

        var run = CliRun.Of("compute", "--model", Model, "--responses", responses, "--out", output);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("r.csv:1:3: colonne inconnue « inconnue »", run.Error, StringComparison.Ordinal);
        Assert.Contains("colonne(s) manquante(s) : strategie.strategie", run.Error, StringComparison.Ordinal);
        Assert.Contains("r.csv:3:1: code « A » en double (déjà ligne 2)", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.Equal("ancien contenu", File.ReadAllText(output));
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void Compute_InvalidModel_ExitsOne()
    {
        using var temp = new TempDirectory();
        var model = temp.File("m.yaml", "id: m\nthemes:\n  - id: a\n    title: A\n    questions:\n      - id: b.x\n        label: X\n");

        var run = CliRun.Of("compute", "--model", model, "--responses", temp.File("absent.csv"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("m.yaml:6:", run.Error, StringComparison.Ordinal);
        Assert.Contains("« a.<nom> »", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_MissingResponsesFile_ExitsOneWithAClearMessage()
    {
        var run = CliRun.Of("compute", "--model", Model, "--responses", "/nonexistent/reponses.csv");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("/nonexistent/reponses.csv: lecture impossible", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_FewerSegmentableThanK_WarnsOnStderrAndSucceeds()
    {
        using var temp = new TempDirectory();
        CliRun.Of("demo", "--summary-only", "--out", temp.Path, "-n", "3");

        var run = CliRun.Of("compute", "--model", Model, "--responses", temp.File("panel-synthetique.csv"), "--k", "5");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("avertissement : Segmentation impossible", run.Error, StringComparison.Ordinal);
        using var results = JsonDocument.Parse(run.Out);
        Assert.Equal(0, results.RootElement.GetProperty("segments").GetProperty("groups").GetArrayLength());
        Assert.NotEqual(JsonValueKind.Null, results.RootElement.GetProperty("themes")[0].GetProperty("mean").ValueKind);
    }

    [Theory]
    [InlineData("compute", "--model", Model)]                                         // --responses missing
    [InlineData("compute", "--model", Model, "--responses", "r.csv", "--k", "1")]
    [InlineData("compute", "--model", Model, "--responses", "r.csv", "--bootstrap", "-1")]
    [InlineData("compute", "--model", Model, "--responses", "r.csv", "--seed", "abc")]
    [InlineData("compute", "--modele", Model)]
    [InlineData("calcule")]
    [InlineData]
    public void Run_UsageError_ExitsTwo(params string[] args)
    {
        var run = CliRun.Of(args);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("barometre : ", run.Error, StringComparison.Ordinal);
        Assert.Contains("--help", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_ExitsZero()
    {
        var run = CliRun.Of("compute", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--bootstrap", run.Out, StringComparison.Ordinal);
    }

    /// <summary>What System.CommandLine writes in English when its French resources lack a string.</summary>
    private static readonly string[] EnglishWords =
        ["Description:", "Usage:", "Options:", "Commands:", "Arguments:", "[default:", "Show help", "[command]", "Cannot parse", "is required",
         "expects a single", "not recognized", "was not matched", "Did you mean", "Required argument", "Unrecognized"];

    [Fact]
    public void Help_EveryCommand_IsEntirelyInFrench()
    {
        var root = BarometreCli.CreateRootCommand(new CliContext(TextWriter.Null, TextWriter.Null, TimeProvider.System, TextReader.Null));
        var paths = new List<string[]>();
        void Walk(System.CommandLine.Command command, string[] path)
        {
            paths.Add(path);
            foreach (var child in command.Subcommands)
            {
                Walk(child, [.. path, child.Name]);
            }
        }
        Walk(root, []);
        Assert.True(paths.Count > 20, $"{paths.Count} commands");

        foreach (var path in paths)
        {
            var run = CliRun.Of([.. path, "--help"]);

            Assert.Equal(0, run.ExitCode);
            Assert.Contains("Utilisation\u00a0:", run.Out, StringComparison.Ordinal);
            Assert.Contains("Afficher l'aide et l'utilisation", run.Out, StringComparison.Ordinal);
            foreach (var english in EnglishWords)
            {
                Assert.False(run.Out.Contains(english, StringComparison.Ordinal), $"barometre {string.Join(' ', path)} --help says « {english} »:\n{run.Out}");
            }
        }
        Assert.Contains("[par défaut : 42]", CliRun.Of("compute", "--help").Out, StringComparison.Ordinal);
        Assert.Contains("Arguments\u00a0:", CliRun.Of("admin", "add", "--help").Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("barometre : la valeur « abc » de l'option « --seed » n'est pas valide (attendu : un nombre entier).", "compute", "-m", "x", "-r", "y", "--seed", "abc")]
    [InlineData("barometre : l'option « --responses » est obligatoire.", "compute", "-m", "x")]
    [InlineData("barometre : l'option « --k » attend une seule valeur, 2 ont été données.", "compute", "-m", "x", "-r", "y", "--k", "2", "--k", "3")]
    [InlineData("barometre : argument obligatoire manquant pour la commande\u00a0: « add ».", "admin", "add")]
    [InlineData("barometre : commande ou argument non reconnu\u00a0: « --bogus ».", "compute", "-m", "x", "-r", "y", "--bogus")]
    [InlineData("barometre : la valeur « x » de l'option « --campaign » n'est pas valide (attendu : un nombre entier).", "campaign", "status", "-c", "x")]
    public void UsageError_IsSaidInFrench(string expected, params string[] args)
    {
        var run = CliRun.Of(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(expected, run.Error.Split('\n')[0].TrimEnd('\r'));
        foreach (var english in EnglishWords)
        {
            Assert.DoesNotContain(english, run.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Validate_ShippedModel_PrintsSummary()
    {
        var run = CliRun.Of("validate", "--model", Model);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("référentiel maturite-numerique-2019 valide — 9 thèmes, 37 questions, 16 indicateurs clés, échelle de 5 niveaux.", run.Out.Trim());
    }

    [Fact]
    public void Validate_Responses_PrintsEveryProblemThenASummary()
    {
        using var temp = new TempDirectory();
        CliRun.Of("demo", "--summary-only", "--out", temp.Path, "-n", "4");
        var lines = File.ReadAllLines(temp.File("panel-synthetique.csv"));
        lines[2] = lines[2][..lines[2].LastIndexOf(',')] + ",oui";
        lines[3] = lines[3][..lines[3].LastIndexOf(',')] + ",7";
        var broken = temp.File("casse.csv");
        File.WriteAllLines(broken, lines);

        var valid = CliRun.Of("validate", "--model", Model, "--responses", temp.File("panel-synthetique.csv"));
        var invalid = CliRun.Of("validate", "--model", Model, "--responses", broken);

        Assert.Equal(0, valid.ExitCode);
        Assert.Contains("valide — 4 collectivités, 148 cellules", valid.Out, StringComparison.Ordinal);
        Assert.Equal(1, invalid.ExitCode);
        Assert.Contains("casse.csv:3:42: colonne cybersecurite.gouvernance : valeur « oui » invalide", invalid.Error, StringComparison.Ordinal);
        Assert.Contains("casse.csv:4:42: colonne cybersecurite.gouvernance : valeur « 7 » invalide", invalid.Error, StringComparison.Ordinal);
        Assert.Contains("2 problèmes, rien n'est importé", invalid.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void ComputeAndValidate_Workbook_ReadLikeItsCsvWithProblemsBySheetRowAndColumn()
    {
        using var temp = new TempDirectory();
        CliRun.Of("demo", "--summary-only", "--out", temp.Path, "-n", "6");
        var csv = temp.File("panel-synthetique.csv");
        var model = Barometre.Data.Import.ModelFile.Load(Model).GetValueOrThrow();
        var responses = Barometre.Data.Import.ResponsesCsv.Load(csv, model).GetValueOrThrow();
        var workbook = temp.File("panel.xlsx");
        using (var stream = File.Create(workbook))
        {
            Barometre.Data.Import.ResponsesCsv.Write(responses, stream, Barometre.Data.Export.TableFormat.Xlsx);
        }

        var fromCsv = CliRun.Of("compute", "--model", Model, "--responses", csv);
        var fromWorkbook = CliRun.Of("compute", "--model", Model, "--responses", workbook, "--sheet", "reponses");
        var unknownSheet = CliRun.Of("validate", "--model", Model, "--responses", workbook, "--sheet", "Feuil9");

        Assert.Equal((0, 0), (fromCsv.ExitCode, fromWorkbook.ExitCode));
        Assert.Equal(fromCsv.Out, fromWorkbook.Out);
        Assert.Equal(1, unknownSheet.ExitCode);
        Assert.Contains($"{workbook}: pas de feuille « Feuil9 » dans le classeur ; ses feuilles : « reponses »", unknownSheet.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ModelNestedFiftyThousandDeep_IsAnInputErrorWithItsLocation()
    {
        using var temp = new TempDirectory();
        var path = temp.File("profond.json", "{\"id\": \"x\", \"title\": " + string.Concat(Enumerable.Repeat("[", 50_000)) + new string(']', 50_000) + "}");

        var run = CliRun.Of("validate", "--model", path);

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Equal($"{path}:1:53: listes et tables imbriquées sur plus de 32 niveaux : un référentiel en a 7", run.Error.Trim());
        Assert.Equal($"{path} : 1 problème, référentiel invalide.", run.Out.Trim());
    }

    [Fact]
    public void Validate_Latin1Model_IsRefusedAtItsFirstAccentAsOnTheWeb()
    {
        using var temp = new TempDirectory();
        var path = temp.File("latin1.yaml");
        File.WriteAllBytes(path, System.Text.Encoding.Latin1.GetBytes("id: x\ntitle: Référentiel\nthemes:\n  - id: t\n    title: Thème\n    questions: [{id: t.q, label: Q}]\n"));

        var run = CliRun.Of("validate", "--model", path);

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Equal($"{path}:2:9: le fichier n'est pas encodé en UTF-8 : enregistrez-le en UTF-8 et déposez-le à nouveau", run.Error.Trim());
        Assert.DoesNotContain('\uFFFD', run.Out + run.Error);
    }
}
