using System.Globalization;
using System.Net;
using System.Text.Json;
using Barometre.Web.Tests.Infrastructure;
using CsvHelper;
using static Barometre.Web.Tests.Publishing.PublicationPanels;
using static Barometre.Web.Tests.Publishing.PublicChecks;

namespace Barometre.Web.Tests.Publishing;

/// <summary>
/// A collectivité's benchmark, by its invitation link: <c>GET /api/questionnaire/{token}/benchmark</c> (409 before
/// its submission and below 2N submissions, an interim release from 2N, frozen figures after closing, secret
/// groups marked; SecrecyOverTimeTests plays the attack across time) and the page <c>/q/{token}/resultats</c> with its report and answers downloads.
/// </summary>
public abstract class BenchmarkTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    /// <summary>The levels of the small model (TestData/model-small.yaml).</summary>
    private static readonly string[] LevelLabels = ["Sujet non abordé", "Réflexion engagée", "Orientations formalisées", "Mise en œuvre engagée", "Mise en œuvre complète"];

    [Fact]
    public async Task Benchmark_UnavailableUntilSubmittedAnd2NSubmissions_ThenInterimRelease_ThenFinal()
    {
        var campaign = await SeedAsync(App.Services, Standard(), Ct);
        var model = campaign.Model;
        var communes = campaign.OfType(Commune);
        var own = communes[4];
        var link = campaign.Link(own);
        using var client = Client();
        async Task SubmitInOrderAsync(IEnumerable<Member> members)
        {
            foreach (var member in members)
            {
                App.Clock.Advance(TimeSpan.FromMinutes(1));
                await SubmitAsync(App.Services, campaign, [member], Ct);
            }
        }

        // 1. Not submitted yet.
        var problem = await ConflictAsync(client, link.Token);
        Assert.Equal("Votre comparatif sera disponible une fois votre questionnaire transmis.", problem);

        // 2. Submitted, with 8 others: 9 questionnaires in all, fewer than 2N = 10 (N that join the first interim
        // release, N held back).
        var metropole = campaign.OfType(Metropole)[0];
        var release = communes.Skip(4).Append(metropole).ToList();
        var heldBack = communes.Take(4).Append(campaign.OfType(Metropole)[1]).ToList();
        await SubmitInOrderAsync(release.Concat(heldBack.Take(4)));
        problem = await ConflictAsync(client, link.Token);
        Assert.StartsWith("Votre comparatif sera disponible dès que 10 collectivités auront transmis leur questionnaire", problem, StringComparison.Ordinal);
        var page = await Html.GetAsync(client, $"{link.Home}/resultats", Ct);
        Assert.StartsWith("Votre comparatif sera disponible dès que 10 collectivités", page.QuerySelector(".notice[role=status]")!.TextContent.Trim(), StringComparison.Ordinal);

        // 3. A tenth submission: the benchmark against the first interim release, the 5 submitted first.
        await SubmitInOrderAsync([heldBack[4]]);
        var releasedAt = App.Now;

        var document = await BenchmarkAsync(client, link.Token);

        Assert.Equal((own.Code, own.Name, campaign.Seeded.Name), (document.GetProperty("code").GetString(), document.GetProperty("nom").GetString(), document.GetProperty("campaign").GetString()));
        Assert.Equal((false, 5, 5), (document.GetProperty("final").GetBoolean(), document.GetProperty("secrecyThreshold").GetInt32(), document.GetProperty("respondents").GetInt32()));
        var interim = document.GetProperty("release");
        Assert.Equal((1, 5, releasedAt), (interim.GetProperty("number").GetInt32(), interim.GetProperty("respondents").GetInt32(), interim.GetProperty("createdAt").GetDateTime().ToUniversalTime()));
        Assert.True(document.GetProperty("inPanel").GetBoolean());
        foreach (var theme in model.Themes)
        {
            var figure = ById(document.GetProperty("themes"), theme.Id);
            Assert.Equal(Expected.ThemeScore(model, own, theme.Id)!.Value, figure.GetProperty("score").GetDouble(), 9);
            Assert.Equal(Expected.ThemeMedian(model, release, theme.Id), figure.GetProperty("panel").GetProperty("median").GetDouble(), 9);
            Assert.Equal(Expected.ThemeMean(model, release, theme.Id), figure.GetProperty("panel").GetProperty("mean").GetDouble(), 9);
            Assert.Equal(5, figure.GetProperty("panel").GetProperty("scored").GetInt32());
            // 4 communes in the release: their median is secret, and so is their band's.
            Assert.True(IsSecretMedian(figure.GetProperty("type")), figure.GetRawText());
            Assert.True(IsSecretMedian(figure.GetProperty("populationBand")), figure.GetRawText());
        }
        Assert.Equal(("commune", JsonValueKind.Null, true), Group(document.GetProperty("type")));
        Assert.Equal(("moins de 20\u202F000 habitants", JsonValueKind.Null, true), Group(document.GetProperty("populationBand")));
        NamesNoCollectivite(document.GetRawText(), campaign.Members.Where(m => m != own), "the benchmark");
        page = await Html.GetAsync(client, $"{link.Home}/resultats", Ct);
        Assert.Contains($"Résultats provisoires — panel intermédiaire : 5 questionnaires transmis au {Core.FrenchFormat.Date(DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(releasedAt, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"))))}, mis à jour par paliers d'au moins 5 nouveaux questionnaires jusqu'à la clôture.",
            Html.Text(page), StringComparison.Ordinal);

        // 4. Everybody else submits but one communauté de communes; closing freezes the results of 15.
        var late = campaign.OfType(Communaute)[0];
        var final = campaign.Members.Where(m => m != late).ToList();
        await SubmitAsync(App.Services, campaign, final.Except(release).Except(heldBack), Ct);
        await CloseAsync(App.Services, campaign, Ct);

        document = await BenchmarkAsync(client, link.Token);

        Assert.Equal((true, 15), (document.GetProperty("final").GetBoolean(), document.GetProperty("respondents").GetInt32()));
        var finalCommunes = final.Where(m => m.Type == Commune).ToList();
        foreach (var theme in model.Themes)
        {
            var figure = ById(document.GetProperty("themes"), theme.Id);
            Assert.Equal(Expected.ThemeMedian(model, final, theme.Id), figure.GetProperty("panel").GetProperty("median").GetDouble(), 9);
            // 8 communes, 7 other collectivités: their median is shown (the same group as their band).
            Assert.Equal(["median", "suppressed"], Keys(figure.GetProperty("type")));
            Assert.False(figure.GetProperty("type").GetProperty("suppressed").GetBoolean());
            Assert.Equal(Expected.ThemeMedian(model, finalCommunes, theme.Id), figure.GetProperty("type").GetProperty("median").GetDouble(), 9);
            Assert.Equal(figure.GetProperty("type").GetRawText(), figure.GetProperty("populationBand").GetRawText());
        }
        Assert.Equal(("commune", JsonValueKind.Number, false), Group(document.GetProperty("type")));
        Assert.Equal(8, document.GetProperty("type").GetProperty("respondents").GetInt32());
        var segments = document.GetProperty("segments").EnumerateArray().ToList();
        Assert.Equal(["Stratèges", "Pragmatiques", "Retardataires"], segments.Select(s => s.GetProperty("label").GetString()));
        // Members are never listed; a segment smaller than N has no size.
        Assert.All(segments, s => Assert.Equal(["label", "size", "suppressed"], Keys(s)));
        Assert.All(segments, s => Assert.True(
            s.GetProperty("suppressed").GetBoolean() ? s.GetProperty("size").ValueKind == JsonValueKind.Null : s.GetProperty("size").GetInt32() >= 5,
            s.GetRawText()));
        Assert.Contains(document.GetProperty("segment").GetString(), segments.Select(s => s.GetProperty("label").GetString()));
        page = await Html.GetAsync(client, $"{link.Home}/resultats", Ct);
        Assert.Contains("Comparaison avec les résultats définitifs de la campagne : 15 collectivités ont transmis leur questionnaire.", Html.Text(page), StringComparison.Ordinal);
        // The columns' groups named above the table, with their sizes: « votre type : Commune (8 collectivités) ».
        Assert.Contains("(8 collectivités)", page.QuerySelector("#scores-groupes")!.TextContent, StringComparison.Ordinal);

        // A métropole (3 of them): its type is secret, as a whole, and its size is not given.
        var metropoleDocument = await BenchmarkAsync(client, campaign.Link(metropole).Token);
        Assert.Equal((Metropole, JsonValueKind.Null, true), Group(metropoleDocument.GetProperty("type")));
        Assert.All(metropoleDocument.GetProperty("themes").EnumerateArray(), t => Assert.True(IsSecretMedian(t.GetProperty("type")), t.GetRawText()));
        var metropolePage = await Html.GetAsync(client, $"{campaign.Link(metropole).Home}/resultats", Ct);
        var headers = metropolePage.QuerySelectorAll("table thead th").Select(th => th.TextContent.Trim()).ToList();
        Assert.Contains("Médiane de votre type", headers);
        Assert.Contains($"Votre type : {Metropole}", metropolePage.QuerySelector("#scores-groupes")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain($"{Metropole} (", metropolePage.QuerySelector("#scores-groupes")!.TextContent, StringComparison.Ordinal);
        Assert.All(metropolePage.QuerySelectorAll("table tbody tr"), row => Assert.Equal("secret statistique", row.QuerySelectorAll("td")[3].TextContent.Trim()));

        // The communauté that did not submit in time has no benchmark.
        problem = await ConflictAsync(client, campaign.Link(late).Token);
        Assert.Equal("Votre questionnaire n'a pas été transmis avant la clôture : votre collectivité ne figure pas dans les résultats, et n'a donc pas de comparatif.", problem);
    }

    [Fact]
    public async Task Benchmark_PanelFiguresOfFewerThanNCollectivites_AreNotShown()
    {
        // 6 communes; 3 of them left « services » blank: the panel's figures on services, and its global index
        // (which needs both themes), concern 3 collectivités only. The dashboard hides them; so must the benchmark.
        var members = Enumerable.Range(0, 6).Select(i => NewMember(Commune, 5_000 + i, Bretagne,
            i < 3 ? [(sbyte)(i % 5), (sbyte)((i + 1) % 5), (sbyte)((i + 2) % 5), (sbyte)((i + 3) % 5), (sbyte)((i + 4) % 5)] : [2, 3, 1, -1, -1])).ToList();
        var campaign = await SeedAsync(App.Services, members, Ct);
        await SubmitAsync(App.Services, campaign, members, Ct);
        await CloseAsync(App.Services, campaign, Ct);
        await PublishAsync(App.Services, campaign, null, Ct);
        using var client = Client();
        var published = await GetJsonAsync(client, campaign.ResultsUrl(), Ct);
        Assert.Equal(["id", "title", "suppressed"], Keys(ById(published.GetProperty("themes"), "services")));

        var document = await BenchmarkAsync(client, campaign.Link(members[0]).Token);

        Assert.Equal(6, document.GetProperty("respondents").GetInt32());
        var services = ById(document.GetProperty("themes"), "services").GetProperty("panel");
        var shown = new[] { "mean", "median", "q1", "q3" }.Where(name => services.GetProperty(name).ValueKind == JsonValueKind.Number)
            .Select(name => $"services.panel.{name} = {services.GetProperty(name)}").ToList();
        if (document.GetProperty("panelIndexMedian").ValueKind == JsonValueKind.Number)
        {
            shown.Add($"panelIndexMedian = {document.GetProperty("panelIndexMedian")}");
        }
        Assert.True(shown.Count == 0, $"The benchmark shows figures of 3 collectivités: {string.Join("; ", shown)}");
        // The gouvernance figures concern all 6: shown.
        Assert.Equal(Expected.ThemeMedian(campaign.Model, members, "gouvernance"), ById(document.GetProperty("themes"), "gouvernance").GetProperty("panel").GetProperty("median").GetDouble(), 9);
    }

    [Fact]
    public async Task Benchmark_UnknownOrRevokedLink_Is404()
    {
        var campaign = await SeedAsync(App.Services, Standard(), Ct);
        await SubmitAsync(App.Services, campaign, campaign.Members, Ct);
        await CloseAsync(App.Services, campaign, Ct);
        var revoked = campaign.Link(campaign.Members[0]);
        using var client = Client();
        Assert.Equal(16, (await BenchmarkAsync(client, revoked.Token)).GetProperty("respondents").GetInt32());

        await App.RevokeAsync(revoked, Ct);

        foreach (var token in new[] { revoked.Token, "inconnu", new string('x', 43) })
        {
            using (var response = await client.GetAsync(new Uri($"/api/questionnaire/{token}/benchmark", UriKind.Relative), Ct))
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                Assert.Equal("Lien inconnu", (await response.JsonAsync(Ct)).GetProperty("title").GetString());
            }
            foreach (var page in new[] { $"/q/{token}/resultats", $"/q/{token}/resultats?handler=Report", $"/q/{token}/resultats?handler=Answers" })
            {
                using var response = await client.GetAsync(new Uri(page, UriKind.Relative), Ct);
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                Assert.Equal("Ce lien n'ouvre aucun questionnaire", (await Html.ParseAsync(response, Ct)).QuerySelector("h1")!.TextContent.Trim());
            }
        }
    }

    [Fact]
    public async Task Report_IsHtmlForTheCollectiviteOnly()
    {
        var campaign = await SeedAsync(App.Services, Standard(), Ct);
        var own = campaign.OfType(Commune)[0];
        var link = campaign.Link(own);
        using var client = Client();

        // Before submission there is no report: the page says why.
        using (var early = await client.GetAsync(new Uri($"{link.Home}/resultats?handler=Report", UriKind.Relative), Ct))
        {
            Assert.Equal("text/html", early.Content.Headers.ContentType?.MediaType);
            Assert.Null(early.Content.Headers.ContentDisposition);
            Assert.Contains("Votre comparatif sera disponible une fois votre questionnaire transmis.", Html.Text(await Html.ParseAsync(early, Ct)), StringComparison.Ordinal);
        }
        await SubmitAsync(App.Services, campaign, campaign.Members, Ct);
        await CloseAsync(App.Services, campaign, Ct);

        using var response = await client.GetAsync(new Uri($"{link.Home}/resultats?handler=Report", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"rapport-{own.Code.ToLowerInvariant()}.html", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var html = await response.Content.ReadAsStringAsync(Ct);
        var report = await new AngleSharp.Html.Parser.HtmlParser().ParseDocumentAsync(html, Ct);
        Assert.Equal(own.Name, report.QuerySelector("h1")!.TextContent.Trim());
        Assert.Contains(own.Code, report.Body!.TextContent, StringComparison.Ordinal);
        NamesNoCollectivite(html, campaign.Members.Where(m => m != own), "the individual report");
        // The page links to it, and to the answers.
        var page = await Html.GetAsync(client, $"{link.Home}/resultats", Ct);
        Assert.NotNull(page.QuerySelector($"a[href='{link.Home}/resultats?handler=Report']"));
        Assert.NotNull(page.QuerySelector($"a[href='{link.Home}/resultats?handler=Answers']"));
        NamesNoCollectivite(page.DocumentElement.OuterHtml, campaign.Members.Where(m => m != own), "the benchmark page");
    }

    [Fact]
    public async Task Answers_CsvHasOneRowPerQuestionWithTheLevelsGiven()
    {
        var campaign = await SeedAsync(App.Services, Standard(), Ct);
        // The first commune answered « ne sait pas » to « démarches ».
        var own = campaign.OfType(Commune)[0];
        var link = campaign.Link(own);
        using var client = Client();

        using var response = await client.GetAsync(new Uri($"{link.Home}/resultats?handler=Answers", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"reponses-{own.Code.ToLowerInvariant()}.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var text = await response.Content.ReadAsStringAsync(Ct);
        using var reader = new StringReader(text.TrimStart('\uFEFF'));
        using var csv = new CsvParser(reader, CultureInfo.InvariantCulture);
        var rows = new List<string[]>();
        while (csv.Read())
        {
            rows.Add(csv.Record!);
        }
        Assert.Equal(["theme", "question_id", "question", "niveau", "libelle_niveau", "statut", "commentaire", "justificatif_lien", "justificatif_texte", "modifie_le", "modifie_par"], rows[0]);
        Assert.Equal(campaign.Seeded.QuestionIds, rows.Skip(1).Select(r => r[1]));
        var model = campaign.Model;
        for (var q = 0; q < model.Questions.Count; q++)
        {
            var row = rows[q + 1];
            var cell = own.Cells[q];
            Assert.Equal(model.Themes[model.ThemeOfQuestion[q]].Title, row[0]);
            Assert.Equal(model.Questions[q].Label, row[2]);
            Assert.Equal(
                cell >= 0 ? (cell.ToString(CultureInfo.InvariantCulture), LevelLabels[cell], "") : ("", "", "NSP"),
                (row[3], row[4], row[5]));
        }
        NamesNoCollectivite(text, campaign.Members.Where(m => m != own), "the answers CSV");
    }

    private static async Task<JsonElement> BenchmarkAsync(HttpClient client, string token)
    {
        using var response = await client.GetAsync(new Uri($"/api/questionnaire/{token}/benchmark", UriKind.Relative), Ct);
        var body = await response.JsonAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"benchmark answered {(int)response.StatusCode}: {body}");
        return body;
    }

    /// <summary>Expects a 409 « Comparatif indisponible » and returns its detail.</summary>
    private static async Task<string?> ConflictAsync(HttpClient client, string token)
    {
        using var response = await client.GetAsync(new Uri($"/api/questionnaire/{token}/benchmark", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync(Ct);
        Assert.Equal("Comparatif indisponible", problem.GetProperty("title").GetString());
        return problem.GetProperty("detail").GetString();
    }

    private static bool IsSecretMedian(JsonElement figure) =>
        Keys(figure).SequenceEqual(["median", "suppressed"])
        && figure.GetProperty("median").ValueKind == JsonValueKind.Null
        && figure.GetProperty("suppressed").GetBoolean();

    private static (string? Label, JsonValueKind Respondents, bool Suppressed) Group(JsonElement group) =>
        (group.GetProperty("label").GetString(), group.GetProperty("respondents").ValueKind, group.GetProperty("suppressed").GetBoolean());
}

public sealed class BenchmarkTests_Sqlite(SqliteDatabase database) : BenchmarkTests<SqliteDatabase>(database);

public sealed class BenchmarkTests_Postgres(PostgresDatabase database) : BenchmarkTests<PostgresDatabase>(database);
