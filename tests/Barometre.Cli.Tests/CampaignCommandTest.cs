using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Barometre.Data.Import;

namespace Barometre.Cli.Tests;

/// <summary>
/// <c>barometre campaign …</c>: a whole campaign driven by the command line,
/// alone and together with the web app's API, on SQLite and on PostgreSQL.
/// </summary>
public abstract class CampaignCommandTest : CliStoreTest
{
    private const string Model = "maturite-numerique-2019";
    private static readonly IReadOnlyList<string> Questions = [.. ShippedModels.Load(Model).Questions.Select(q => q.Id)];

    /// <summary>Runs <c>barometre ARGS --data DIR [--database …]</c>.</summary>
    private Task<CliRun> RunAsync(params string[] args) => Cli.RunAsync([.. args, .. Store.Options]);

    private static string Panel(int count) =>
        "code;nom;type;population;region;email\n"
        + string.Concat(Enumerable.Range(1, count).Select(n => $"CC{n:D3};Communauté n°{n};communauté de communes;{12_000 + n};Bretagne;dgs{n}@exemple.fr\n"));

    /// <summary>The wide responses CSV: every question at the row's level for each code.</summary>
    private static string Responses(params (string Code, int Level)[] rows) =>
        "code;nom;" + string.Join(';', Questions) + "\n"
        + string.Concat(rows.Select(r => $"{r.Code};Communauté;{string.Join(';', Questions.Select((_, i) => ((r.Level + i) % 5).ToString(CultureInfo.InvariantCulture)))}\n"));

    private async Task<int> CreateCampaignAsync(int collectivites = 3)
    {
        var run = await RunAsync("campaign", "create", "--model", Model, "--name", "Baromètre 2026", "--panel", Store.File("panel.csv", Panel(collectivites)));
        Assert.True(run.ExitCode == 0, run.Error);
        return int.Parse(run.Out.Trim(), CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Create_PrintsTheNewIdAloneAndListShowsIt()
    {
        var run = await RunAsync("campaign", "create", "--model", Model, "--name", "Baromètre 2026", "--panel", Store.File("panel.csv", Panel(3)));

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"^\d+\r?\n$", run.Out);
        var list = await RunAsync("campaign", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Equal($"{run.Out.Trim()}\tOpen\t{Model}\tBaromètre 2026", list.Out.Trim());
        var status = await RunAsync("campaign", "status", "-c", run.Out.Trim());
        Assert.Contains("0 transmis, 0 en cours, 3 non commencés", status.Out, StringComparison.Ordinal);
        Assert.Equal(3 + 2, status.Out.Trim().Split('\n').Length);
    }

    [Fact]
    public async Task Create_Follows_AClosedCampaignOnly()
    {
        var first = (await CreateCampaignAsync(2)).ToString(CultureInfo.InvariantCulture);
        string[] next = ["campaign", "create", "--model", "maturite-numerique-2021", "--name", "Baromètre 2028", "--panel", Store.File("suivant.csv", Panel(2))];

        var notClosed = await RunAsync([.. next, "--follows", first]);
        var unknown = await RunAsync([.. next, "--follows", "999999"]);
        await RunAsync("campaign", "import-answers", "-c", first, "--responses", Store.File("reponses.csv", Responses(("CC001", 1), ("CC002", 3))), "--submit");
        Assert.Equal(0, (await RunAsync("campaign", "close", "-c", first)).ExitCode);
        var follows = await RunAsync([.. next, "--follows", first]);

        Assert.Equal((ExitCodes.InvalidInput, "barometre : La campagne « Baromètre 2026 » n'est pas close : une nouvelle édition ne peut suivre qu'une campagne dont les résultats sont figés.", ""),
            (notClosed.ExitCode, notClosed.Error.Trim(), notClosed.Out));
        Assert.Equal((ExitCodes.InvalidInput, "barometre : La campagne n°\u00a0999999 n'existe pas : une campagne ne peut suivre qu'une campagne existante et close."),
            (unknown.ExitCode, unknown.Error.Trim()));
        Assert.True(follows.ExitCode == 0, follows.Error);
        Assert.Equal(2, (await RunAsync("campaign", "list")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Create_BadPanel_PrintsEveryProblemAndCreatesNothing()
    {
        var panel = Store.File("panel.csv", "code;nom;population;email\nA1;Un;12;un@exemple.fr\nA2;Deux;beaucoup;deux@exemple.fr\nA1;Trois;3;pas-une-adresse\n");

        var run = await RunAsync("campaign", "create", "--model", Model, "--name", "Refusée", "--panel", panel);

        Assert.Equal((ExitCodes.InvalidInput, ""), (run.ExitCode, run.Out));
        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Contains(lines, l => l.Contains($"{panel}:3:3: colonne population : « beaucoup »", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains($"{panel}:4:4: colonne email : « pas-une-adresse »", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains($"{panel}:4:1: code « A1 » en double (déjà ligne 2)", StringComparison.Ordinal));
        var list = await RunAsync("campaign", "list");
        Assert.Equal((0, ""), (list.ExitCode, list.Out));
    }

    [Fact]
    public async Task Create_Latin1Model_IsRefusedAndCreatesNothing()
    {
        var model = Store.File("latin1.yaml");
        File.WriteAllBytes(model, Encoding.Latin1.GetBytes("id: x\ntitle: Référentiel\nthemes:\n  - id: t\n    title: Thème\n    questions: [{id: t.q, label: Q}]\n"));

        var run = await RunAsync("campaign", "create", "--model", model, "--name", "Accents perdus", "--panel", Store.File("panel.csv", Panel(1)));

        Assert.Equal((ExitCodes.InvalidInput, ""), (run.ExitCode, run.Out));
        Assert.Equal($"{model}:2:9: le fichier n'est pas encodé en UTF-8 : enregistrez-le en UTF-8 et déposez-le à nouveau", run.Error.Trim());
        Assert.Equal("", (await RunAsync("campaign", "list")).Out);
    }

    [Fact]
    public async Task Create_UnknownModelOrMissingPanel_IsAnInputError()
    {
        var model = await RunAsync("campaign", "create", "--model", "pas-un-referentiel", "--name", "N", "--panel", Store.File("panel.csv", Panel(1)));
        var panel = await RunAsync("campaign", "create", "--model", Model, "--name", "N", "--panel", Store.File("absent.csv"));

        Assert.Equal((ExitCodes.InvalidInput, ExitCodes.InvalidInput), (model.ExitCode, panel.ExitCode));
        Assert.Contains("absent.csv", panel.Error, StringComparison.Ordinal);
        Assert.Equal("", (await RunAsync("campaign", "list")).Out);
    }

    [Theory]
    [InlineData("Baromètre\u00002026", "--name : Le nom de la campagne contient un caractère de contrôle (U+0000, position 10) : il tient sur une ligne, sans caractère de contrôle.")]
    [InlineData("Baromètre\u001B[2J", "--name : Le nom de la campagne contient un caractère de contrôle (U+001B, position 10) : il tient sur une ligne, sans caractère de contrôle.")]
    [InlineData("N*201", "--name : Le nom de la campagne dépasse 200 caractères (201).")]
    [InlineData("  ", "--name : Donnez un nom à la campagne (par exemple « Baromètre 2026 »).")]
    public async Task Create_NameWithControlCharacterTooLongOrBlank_IsAUsageErrorAndCreatesNothing(string name, string message)
    {
        // U+0000 used to reach PostgreSQL and end in « erreur interne » (exit 3).
        name = name == "N*201" ? new string('N', 201) : name;

        var run = await RunAsync("campaign", "create", "--model", Model, "--name", name, "--panel", Store.File("panel.csv", Panel(2)));

        Assert.Equal((ExitCodes.UsageError, ""), (run.ExitCode, run.Out));
        Assert.Equal($"barometre : {message}", run.Error.Split('\n')[0].TrimEnd('\r'));
        Assert.Equal("", (await RunAsync("campaign", "list")).Out);
    }

    [Fact]
    public async Task Create_WithTheOrganisersContact_ShowsItOnTheQuestionnairesHome()
    {
        var run = await RunAsync("campaign", "create", "--model", Model, "--name", "Baromètre 2026", "--panel", Store.File("panel.csv", Panel(1)),
            "--contact-name", "Mission numérique", "--contact-email", "numerique@exemple.fr");
        Assert.True(run.ExitCode == 0, run.Error);
        await using var server = await Store.ServerAsync();
        await server.StartAsync(Ct);
        var linksFile = Store.File("links.csv");
        Assert.Equal(0, (await RunAsync("campaign", "invitations", "-c", run.Out.Trim(), "--base-url", server.Urls.Single().TrimEnd('/'), "--out", linksFile)).ExitCode);
        using var http = new HttpClient();

        var home = await http.GetStringAsync(new Uri(ReadCsv(linksFile)[1][3]), Ct);

        Assert.Contains("<p class=\"contact\">Contact : Mission numérique (<a href=\"mailto:numerique@exemple.fr\">numerique@exemple.fr</a>)</p>", home, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--contact-email", "pas une adresse", "--contact-email : L'adresse du contact « pas une adresse » n'est pas une adresse électronique.")]
    [InlineData("--contact-name", "Mission\u001B[2J", "--contact-name : Le nom du contact contient un caractère de contrôle (U+001B, position 8) : il tient sur une ligne, sans caractère de contrôle.")]
    public async Task Create_InvalidContact_IsAUsageErrorAndCreatesNothing(string option, string value, string message)
    {
        var run = await RunAsync("campaign", "create", "--model", Model, "--name", "Baromètre 2026", "--panel", Store.File("panel.csv", Panel(1)), option, value);

        Assert.Equal((ExitCodes.UsageError, ""), (run.ExitCode, run.Out));
        Assert.Equal($"barometre : {message}", run.Error.Split('\n')[0].TrimEnd('\r'));
        Assert.Equal("", (await RunAsync("campaign", "list")).Out);
    }

    [Fact]
    public async Task Invitations_WritesTheLinksUnderTheBaseUrlOnceThenOnlyNewOnes()
    {
        var id = (await CreateCampaignAsync(3)).ToString(CultureInfo.InvariantCulture);
        var links = Store.File("links.csv");

        var run = await RunAsync("campaign", "invitations", "-c", id, "--base-url", "https://barometre.example.fr", "--out", links);

        Assert.Equal((0, $"3 liens émis dans {links}."), (run.ExitCode, run.Out.Trim()));
        var rows = ReadCsv(links);
        Assert.Equal(["code", "nom", "email", "link"], rows[0]);
        Assert.Equal(["CC001", "CC002", "CC003"], rows.Skip(1).Select(r => r[0]));
        Assert.Equal(["dgs1@exemple.fr", "dgs2@exemple.fr", "dgs3@exemple.fr"], rows.Skip(1).Select(r => r[2]));
        Assert.All(rows.Skip(1), r => Assert.Matches(@"^https://barometre\.example\.fr/q/[A-Za-z0-9_-]{20,}$", r[3]));
        Assert.Equal("Communauté n°1", rows[1][1]);

        var again = await RunAsync("campaign", "invitations", "-c", id, "--base-url", "https://barometre.example.fr/", "--out", Store.File("again.csv"));
        Assert.Equal((0, $"0 lien émis dans {Store.File("again.csv")}."), (again.ExitCode, again.Out.Trim()));
        Assert.Single(ReadCsv(Store.File("again.csv")));

        var reissued = await RunAsync("campaign", "invitations", "-c", id, "--base-url", "http://localhost:8080/barometre", "--out", Store.File("all.csv"), "--reissue");
        Assert.Equal(0, reissued.ExitCode);
        var all = ReadCsv(Store.File("all.csv")).Skip(1).ToList();
        Assert.Equal(3, all.Count);
        Assert.All(all, r => Assert.StartsWith("http://localhost:8080/barometre/q/", r[3], StringComparison.Ordinal));
        Assert.Empty(all.Select(r => r[3]).Intersect(rows.Skip(1).Select(r => r[3])));
    }

    [Fact]
    public async Task Invitations_FormatXlsxOrCsvFr_WritesTheSameLinksInThatFormat()
    {
        var id = (await CreateCampaignAsync(2)).ToString(CultureInfo.InvariantCulture);

        var xlsx = await RunAsync("campaign", "invitations", "-c", id, "--base-url", "https://barometre.example.fr", "--out", Store.File("liens.xlsx"), "--format", "xlsx");
        var french = await RunAsync("campaign", "invitations", "-c", id, "--base-url", "https://barometre.example.fr", "--out", Store.File("liens.csv"), "--format", "csv-fr", "--reissue");

        Assert.Equal((0, 0), (xlsx.ExitCode, french.ExitCode));
        using (var workbook = File.OpenRead(Store.File("liens.xlsx")))
        {
            var rows = MiniExcelLibs.MiniExcel.Query(workbook, useHeaderRow: false).Cast<IDictionary<string, object?>>().Select(row => row.Values.Cast<string>().ToArray()).ToList();
            Assert.Equal(["code", "nom", "email", "link"], rows[0]);
            Assert.Equal(["CC001", "CC002"], rows.Skip(1).Select(r => r[0]));
            Assert.All(rows.Skip(1), r => Assert.Matches(@"^https://barometre\.example\.fr/q/[A-Za-z0-9_-]{20,}$", r[3]));
        }
        var text = File.ReadAllText(Store.File("liens.csv"));
        Assert.StartsWith("code;nom;email;link\r\nCC001;Communauté n°1;dgs1@exemple.fr;https://barometre.example.fr/q/", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invitations_UnknownFormat_IsAUsageErrorAndIssuesNothing()
    {
        var id = (await CreateCampaignAsync(1)).ToString(CultureInfo.InvariantCulture);

        var run = await RunAsync("campaign", "invitations", "-c", id, "--base-url", "https://barometre.example.fr", "--out", Store.File("liens.ods"), "--format", "ods");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--format : « ods » inconnu ; choisissez csv, csv-fr ou xlsx.", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Store.File("liens.ods")));
        var issued = await RunAsync("campaign", "invitations", "-c", id, "--base-url", "https://barometre.example.fr", "--out", Store.File("ok.csv"));
        Assert.Equal($"1 lien émis dans {Store.File("ok.csv")}.", issued.Out.Trim());
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("ftp://barometre.example.fr")]
    [InlineData("/relative")]
    public async Task Invitations_BadBaseUrl_IsAUsageErrorAndIssuesNothing(string baseUrl)
    {
        var id = (await CreateCampaignAsync(2)).ToString(CultureInfo.InvariantCulture);

        var run = await RunAsync("campaign", "invitations", "-c", id, "--base-url", baseUrl, "--out", Store.File("links.csv"));

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains($"--base-url doit être une adresse http(s) complète, pas « {baseUrl} ».", run.Error, StringComparison.Ordinal);
        Assert.False(System.IO.File.Exists(Store.File("links.csv")));
        var issued = await RunAsync("campaign", "invitations", "-c", id, "--base-url", "https://barometre.example.fr", "--out", Store.File("ok.csv"));
        Assert.Equal("2 liens émis", issued.Out.Trim()[..12]);
    }

    [Fact]
    public async Task ImportAnswers_WithSubmit_StatusCountsTheSubmitted()
    {
        var id = (await CreateCampaignAsync(3)).ToString(CultureInfo.InvariantCulture);

        var run = await RunAsync("campaign", "import-answers", "-c", id, "--responses", Store.File("reponses.csv", Responses(("CC001", 1), ("CC003", 3))), "--submit");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"{2 * Questions.Count} réponses importées pour 2 collectivités.", run.Out.Trim());
        var status = await RunAsync("campaign", "status", "-c", id);
        Assert.Equal(0, status.ExitCode);
        var lines = status.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("# Baromètre 2026 — Open — 2 transmis, 0 en cours, 1 non commencés", lines[0]);
        Assert.Equal("code\tnom\tstatut\trepondues\tquestions", lines[1]);
        Assert.Equal($"CC001\tCommunauté n°1\tSubmitted\t{Questions.Count}\t{Questions.Count}", lines[2]);
        Assert.Equal($"CC002\tCommunauté n°2\tNotStarted\t0\t{Questions.Count}", lines[3]);
    }

    [Fact]
    public async Task ImportAnswers_FaultyFile_PrintsEveryProblemAndImportsNothing()
    {
        var id = (await CreateCampaignAsync(2)).ToString(CultureInfo.InvariantCulture);
        var csv = Responses(("CC001", 1), ("ZZ999", 2)).Replace("CC001;Communauté;1;", "CC001;Communauté;9;", StringComparison.Ordinal);
        var path = Store.File("reponses.csv", csv);

        var run = await RunAsync("campaign", "import-answers", "-c", id, "--responses", path);

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains($"{path}:2:3: colonne {Questions[0]} : valeur « 9 » invalide", run.Error, StringComparison.Ordinal);
        var status = await RunAsync("campaign", "status", "-c", id);
        Assert.Contains("0 transmis, 0 en cours, 2 non commencés", status.Out, StringComparison.Ordinal);

        var outside = await RunAsync("campaign", "import-answers", "-c", id, "--responses", Store.File("ailleurs.csv", Responses(("CC001", 1), ("ZZ999", 2))));
        Assert.Equal(ExitCodes.InvalidInput, outside.ExitCode);
        Assert.Contains("la collectivité « ZZ999 » (Communauté) n'est pas dans le panel de la campagne", outside.Error, StringComparison.Ordinal);
        Assert.Contains("0 transmis, 0 en cours, 2 non commencés", (await RunAsync("campaign", "status", "-c", id)).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Results_BeforeClosing_IsRefusedThenCloseGivesTheResultsJson()
    {
        var id = (await CreateCampaignAsync(3)).ToString(CultureInfo.InvariantCulture);
        await RunAsync("campaign", "import-answers", "-c", id, "--responses", Store.File("reponses.csv", Responses(("CC001", 1), ("CC002", 4))), "--submit");

        var early = await RunAsync("campaign", "results", "-c", id);
        Assert.Equal((ExitCodes.InvalidInput, ""), (early.ExitCode, early.Out));
        Assert.Equal("barometre : la campagne n'est pas close : ses résultats ne sont pas encore calculés (barometre campaign close).", early.Error.Trim());

        var close = await RunAsync("campaign", "close", "-c", id);
        Assert.Equal((0, "Campagne close : résultats calculés et figés."), (close.ExitCode, close.Out.Trim()));
        var output = Store.File("r.json");
        var results = await RunAsync("campaign", "results", "-c", id, "--out", output);

        Assert.Equal((0, ""), (results.ExitCode, results.Out));
        using var json = JsonDocument.Parse(System.IO.File.ReadAllText(output));
        Assert.Equal(1, json.RootElement.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("respondents").GetInt32());
        Assert.Equal(Model, json.RootElement.GetProperty("referential").GetString());
        Assert.Equal(["CC001", "CC002"], json.RootElement.GetProperty("scores").EnumerateArray().Select(s => s.GetProperty("code").GetString()));
        // Without --out, the same JSON on stdout.
        var stdout = await RunAsync("campaign", "results", "-c", id);
        Assert.Equal(System.IO.File.ReadAllText(output).Trim(), stdout.Out.Trim());
        Assert.Empty(Directory.GetFiles(Store.DataDirectory, "*.tmp"));

        var again = await RunAsync("campaign", "close", "-c", id);
        Assert.Equal((ExitCodes.InvalidInput, "barometre : La campagne est déjà close."), (again.ExitCode, again.Error.Trim()));
        var late = await RunAsync("campaign", "import-answers", "-c", id, "--responses", Store.File("tard.csv", Responses(("CC003", 2))));
        Assert.Equal(ExitCodes.InvalidInput, late.ExitCode);
    }

    [Fact]
    public async Task Close_WithReviewUntilThenFreeze_ClosesTheCampaign()
    {
        var id = (await CreateCampaignAsync(2)).ToString(CultureInfo.InvariantCulture);
        await RunAsync("campaign", "import-answers", "-c", id, "--responses", Store.File("reponses.csv", Responses(("CC001", 2))), "--submit");
        var until = DateTime.UtcNow.AddDays(10).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

        var close = await RunAsync("campaign", "close", "-c", id, "--review-until", until);

        Assert.Equal((0, "Collecte close : période de relecture ouverte."), (close.ExitCode, close.Out.Trim()));
        Assert.Contains("\tReview\t", (await RunAsync("campaign", "list")).Out, StringComparison.Ordinal);
        Assert.StartsWith("# Baromètre 2026 — Review — 1 transmis", (await RunAsync("campaign", "status", "-c", id)).Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InvalidInput, (await RunAsync("campaign", "results", "-c", id)).ExitCode);
        var twice = await RunAsync("campaign", "close", "-c", id);
        Assert.Equal(ExitCodes.InvalidInput, twice.ExitCode);
        Assert.Contains("la relecture est en cours", twice.Error, StringComparison.Ordinal);

        var freeze = await RunAsync("campaign", "freeze", "-c", id);

        Assert.Equal((0, "Campagne close : résultats calculés et figés."), (freeze.ExitCode, freeze.Out.Trim()));
        Assert.Contains("\tClosed\t", (await RunAsync("campaign", "list")).Out, StringComparison.Ordinal);
        var results = await RunAsync("campaign", "results", "-c", id);
        using var json = JsonDocument.Parse(results.Out);
        Assert.Equal(1, json.RootElement.GetProperty("respondents").GetInt32());
        Assert.Equal(ExitCodes.InvalidInput, (await RunAsync("campaign", "freeze", "-c", id)).ExitCode);
    }

    [Fact]
    public async Task Close_ReviewUntilInThePast_IsRefused()
    {
        var id = (await CreateCampaignAsync(1)).ToString(CultureInfo.InvariantCulture);

        var run = await RunAsync("campaign", "close", "-c", id, "--review-until", "2020-01-15T18:00");

        Assert.Equal((ExitCodes.InvalidInput, "barometre : La fin de la relecture doit être dans le futur."), (run.ExitCode, run.Error.Trim()));
        Assert.Contains("\tOpen\t", (await RunAsync("campaign", "list")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Close_ReviewUntilAnHourThatDoesNotExistInParis_IsAnInputErrorNotACrash()
    {
        var id = (await CreateCampaignAsync(1)).ToString(CultureInfo.InvariantCulture);
        // 2 h 30 on the last Sunday of March 2099: clocks jump from 2 h to 3 h in Paris.
        var run = await RunAsync("campaign", "close", "-c", id, "--review-until", "2099-03-29T02:30");

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.DoesNotContain("erreur interne", run.Error, StringComparison.Ordinal);
        Assert.Contains("\tOpen\t", (await RunAsync("campaign", "list")).Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("close")]
    [InlineData("freeze")]
    [InlineData("results")]
    [InlineData("invitations")]
    [InlineData("import-answers")]
    public async Task UnknownCampaign_IsAnInputError(string command)
    {
        await CreateCampaignAsync(1);
        string[] extra = command switch
        {
            "invitations" => ["--base-url", "https://barometre.example.fr", "--out", Store.File("links.csv")],
            "import-answers" => ["--responses", Store.File("reponses.csv", Responses(("CC001", 1)))],
            _ => [],
        };

        var run = await RunAsync(["campaign", command, "-c", "4242", .. extra]);

        Assert.Equal((ExitCodes.InvalidInput, ""), (run.ExitCode, run.Out));
        Assert.Equal("barometre : aucune campagne n° 4242 (barometre campaign list).", run.Error.Trim());
        Assert.False(System.IO.File.Exists(Store.File("links.csv")));
    }

    [Fact]
    public async Task EndToEnd_CliAndApiTogether_CreateInviteAnswerCloseResults()
    {
        var id = (await CreateCampaignAsync(3)).ToString(CultureInfo.InvariantCulture);
        await using var server = await Store.ServerAsync();
        await server.StartAsync(Ct);
        var address = server.Urls.Single().TrimEnd('/');
        Assert.Matches(@"^http://127\.0\.0\.1:\d+$", address);
        var linksFile = Store.File("links.csv");
        var invitations = await RunAsync("campaign", "invitations", "-c", id, "--base-url", address, "--out", linksFile);
        Assert.Equal(0, invitations.ExitCode);
        var links = ReadCsv(linksFile).Skip(1).ToDictionary(r => r[0], r => r[3], StringComparer.Ordinal);
        using var http = new HttpClient();

        // CC002 answers through the API, as the questionnaire page would, and submits.
        var cc002 = links["CC002"];
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(cc002), Ct)).StatusCode);
        var api = cc002.Replace("/q/", "/api/questionnaire/", StringComparison.Ordinal);
        for (var q = 0; q < Questions.Count; q++)
        {
            using var put = await http.PutAsJsonAsync(new Uri($"{api}/answers/{Questions[q]}"), new { level = q % 5, comment = q == 0 ? "répondu en ligne" : null }, Ct);
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        var status = await RunAsync("campaign", "status", "-c", id);
        Assert.Contains("0 transmis, 1 en cours, 2 non commencés", status.Out, StringComparison.Ordinal);
        using (var submit = await http.PostAsync(new Uri($"{api}/submit"), null, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, submit.StatusCode);
        }
        // CC001 answered on paper, imported by the command line.
        await RunAsync("campaign", "import-answers", "-c", id, "--responses", Store.File("papier.csv", Responses(("CC001", 2))), "--submit");
        Assert.Contains("2 transmis, 0 en cours, 1 non commencés", (await RunAsync("campaign", "status", "-c", id)).Out, StringComparison.Ordinal);

        var close = await RunAsync("campaign", "close", "-c", id);
        Assert.Equal(0, close.ExitCode);

        // Closed: the API refuses changes, and the results count both questionnaires.
        using (var late = await http.PutAsJsonAsync(new Uri($"{links["CC003"].Replace("/q/", "/api/questionnaire/", StringComparison.Ordinal)}/answers/{Questions[0]}"), new { level = 1 }, Ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        }
        using (var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(api), Ct)))
        {
            Assert.Equal(("closed", "submitted", true), (document.RootElement.GetProperty("campaign").GetProperty("status").GetString(),
                document.RootElement.GetProperty("status").GetString(), document.RootElement.GetProperty("readOnly").GetBoolean()));
        }
        var results = await RunAsync("campaign", "results", "-c", id, "--out", Store.File("r.json"));
        Assert.Equal(0, results.ExitCode);
        using var json = JsonDocument.Parse(System.IO.File.ReadAllText(Store.File("r.json")));
        Assert.Equal(2, json.RootElement.GetProperty("respondents").GetInt32());
        Assert.Equal(["CC001", "CC002"], json.RootElement.GetProperty("scores").EnumerateArray().Select(s => s.GetProperty("code").GetString()).Order(StringComparer.Ordinal));
        await server.StopAsync(Ct);
    }

    /// <summary>A small CSV reader (quoted fields) for the links file.</summary>
    private static List<string[]> ReadCsv(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvHelper.CsvParser(reader, CultureInfo.InvariantCulture);
        var rows = new List<string[]>();
        while (csv.Read())
        {
            rows.Add(csv.Record!);
        }
        return rows;
    }
}

public sealed class CampaignCommandTest_Sqlite : CampaignCommandTest
{
    protected override bool Postgres => false;
}

public sealed class CampaignCommandTest_Postgres : CampaignCommandTest
{
    protected override bool Postgres => true;
}
