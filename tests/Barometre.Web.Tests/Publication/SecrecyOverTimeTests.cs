using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Barometre.Data.Campaigns;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Barometre.Web.Tests.Publishing.PublicationPanels;
using static Barometre.Web.Tests.Publishing.PublicChecks;

namespace Barometre.Web.Tests.Publishing;

/// <summary>
/// Statistical secrecy across time (docs/security.md): while a campaign collects answers, a collectivité that reads
/// its benchmark before and after another one submits must not learn the newcomer's scores from the difference.
/// The attack of issue 12 is played submission by submission, on the API and the page.
/// </summary>
public abstract partial class SecrecyOverTimeTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private const int N = 3;

    private static readonly string[] Themes = ["gouvernance", "services"];

    /// <summary>
    /// 14 communes of Bretagne whose levels are all 3 or 4: every theme score lies between 75 and 100, so the sum of two
    /// or more scores exceeds any single one — a difference between two reads can equal one newcomer's score only when
    /// it comes from that newcomer alone.
    /// </summary>
    private static List<Member> Panel(int count = 14) =>
        [.. Enumerable.Range(0, count).Select(i => NewMember(Commune, 5_000 + (i * 100), Bretagne,
            [.. Enumerable.Range(0, 5).Select(q => (sbyte)(3 + (((i * 7) + (q * 3) + (i / 3)) % 2)))]))];

    [Fact]
    public async Task Benchmark_ReadAfterEverySubmission_NeverRevealsTheNewcomersScores()
    {
        var members = Panel();
        var campaign = await SeedWithThresholdAsync(members);
        var model = campaign.Model;
        var early = members[0];
        using var client = Client();
        var reads = new List<Read>();
        var submitted = new List<Member>();

        foreach (var member in members)
        {
            App.Clock.Advance(TimeSpan.FromMinutes(1));
            await SubmitAsync(App.Services, campaign, [member], Ct);
            submitted.Add(member);
            reads.Add(await ReadAsync(client, campaign.Link(early), submitted));
        }
        await CloseAsync(App.Services, campaign, Ct);
        var final = await ReadAsync(client, campaign.Link(early), submitted);

        reads.Add(final);
        for (var i = 1; i < reads.Count; i++)
        {
            var (before, after) = (reads[i - 1], reads[i]);
            // (a) no theme's sum of scores moves by exactly one newcomer's score.
            foreach (var theme in Themes)
            {
                var difference = after.Sum(theme) - before.Sum(theme);
                foreach (var newcomer in after.Submitted.Except(before.Submitted))
                {
                    var score = Expected.ThemeScore(model, newcomer, theme)!.Value;
                    Assert.True(Math.Abs(difference - score) > 1e-6, $"Reads {i - 1} and {i} reveal {newcomer.Code}'s {theme} score {score}.");
                }
            }
            // (b) identical, or at least N more questionnaires — on the API and on the page.
            var grew = after.Respondents - before.Respondents;
            Assert.True(after.SameFigures(before) || grew >= N, $"Reads {i - 1} and {i}: {before} then {after}.");
            Assert.True(after.PageTable == before.PageTable || after.PageRespondents - before.PageRespondents >= N,
                $"Pages {i - 1} and {i}: « {before.PageTable} » ({before.PageRespondents}) then « {after.PageTable} » ({after.PageRespondents}).");
        }

        // The first release at 2N submissions, of N questionnaires; then steps of N: 6 → 3, 9 → 6, 12 → 9, and no
        // release at 14 (5 fresh, 3 of them held back). The final results hold those 5.
        Assert.Equal([0, 0, 0, 0, 0, 3, 3, 3, 6, 6, 6, 9, 9, 9, 14], reads.Select(r => r.Respondents));
        Assert.Equal([null, null, null, null, null, 1, 1, 1, 2, 2, 2, 3, 3, 3, null], reads.Select(r => r.Release));
        Assert.True(final.Final);
        foreach (var read in reads.Where(r => r.Respondents > 0))
        {
            Assert.True(read.InPanel);
            // The figures are those of the release's members, computed from their answers without the app's code.
            var release = members.Take(read.Respondents).ToList();
            foreach (var theme in Themes)
            {
                Assert.Equal(Expected.ThemeMean(model, release, theme), read.Themes[theme].Mean, 9);
            }
        }
    }

    [Fact]
    public async Task Benchmark_SubmittedAfterTheLatestRelease_ItsScoresAgainstTheReleaseWithoutIt()
    {
        var members = Panel(8);
        var campaign = await SeedWithThresholdAsync(members);
        using var client = Client();
        foreach (var member in members)
        {
            App.Clock.Advance(TimeSpan.FromMinutes(1));
            await SubmitAsync(App.Services, campaign, [member], Ct);
            await ApiOrConflictAsync(client, campaign.Link(members[0]).Token);
        }
        var late = members[^1];

        var early = await ApiAsync(client, campaign.Link(members[0]).Token);
        var document = await ApiAsync(client, campaign.Link(late).Token);

        // Release 1 holds the first 3; 5 submitted since (2 ready, 3 held back).
        Assert.Equal((3, 1, false), (document.GetProperty("respondents").GetInt32(), document.GetProperty("release").GetProperty("number").GetInt32(), document.GetProperty("inPanel").GetBoolean()));
        Assert.Equal(["number", "respondents", "createdAt"], Keys(document.GetProperty("release")));
        Assert.Equal(3, document.GetProperty("release").GetProperty("respondents").GetInt32());
        Assert.Equal(JsonValueKind.Null, document.GetProperty("segment").ValueKind);
        foreach (var theme in Themes)
        {
            var figure = ById(document.GetProperty("themes"), theme);
            Assert.Equal(Expected.ThemeScore(campaign.Model, late, theme)!.Value, figure.GetProperty("score").GetDouble(), 9);
            // The panel's figures are the release's: the same as an early member sees.
            Assert.Equal(ById(early.GetProperty("themes"), theme).GetProperty("panel").GetRawText(), figure.GetProperty("panel").GetRawText());
            Assert.Equal(Expected.ThemeMedian(campaign.Model, members.Take(3), theme), figure.GetProperty("panel").GetProperty("median").GetDouble(), 9);
        }
        Assert.True(early.GetProperty("inPanel").GetBoolean());
        var page = Html.Text(await Html.GetAsync(client, $"{campaign.Link(late).Home}/resultats", Ct));
        Assert.Contains("Résultats provisoires — panel intermédiaire : 3 questionnaires transmis au ", page, StringComparison.Ordinal);
        Assert.Contains("mis à jour par paliers d'au moins 3 nouveaux questionnaires", page, StringComparison.Ordinal);
        Assert.Contains("Vos réponses n'y figurent pas encore : vos scores sont comparés à ce panel sans vous.", page, StringComparison.Ordinal);
        NamesNoCollectivite(page, members.Where(m => m != late), "the benchmark page");
        var earlyPage = Html.Text(await Html.GetAsync(client, $"{campaign.Link(members[0]).Home}/resultats", Ct));
        Assert.Contains("Vos réponses y figurent telles qu'elles étaient à cette date", earlyPage, StringComparison.Ordinal);
        // Its confidential report is there too.
        using var report = await client.GetAsync(new Uri($"{campaign.Link(late).Home}/resultats?handler=Report", UriKind.Relative), Ct);
        Assert.Equal("text/html", report.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(report.Content.Headers.ContentDisposition);
    }

    [Fact]
    public async Task Benchmark_BeforeTwiceNSubmissions_SaysWhenItWillBeAvailable()
    {
        var members = Panel(6);
        var campaign = await SeedWithThresholdAsync(members);
        await SubmitAsync(App.Services, campaign, members.Take(5), Ct);
        using var client = Client();

        using var response = await client.GetAsync(new Uri($"/api/questionnaire/{campaign.Link(members[0]).Token}/benchmark", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.StartsWith("Votre comparatif sera disponible dès que 6 collectivités auront transmis leur questionnaire : ",
            (await response.JsonAsync(Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var page = await Html.GetAsync(client, $"{campaign.Link(members[0]).Home}/resultats", Ct);
        Assert.StartsWith("Votre comparatif sera disponible dès que 6 collectivités", page.QuerySelector(".notice[role=status]")!.TextContent.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Corrections_ShowOnlyWithAReleaseOfNNewcomers()
    {
        var members = Panel(13);
        var campaign = await SeedWithThresholdAsync(members);
        var model = campaign.Model;
        using var client = Client();
        var reader = campaign.Link(members[1]).Token;
        async Task SubmitInOrderAsync(IEnumerable<Member> some)
        {
            foreach (var member in some)
            {
                App.Clock.Advance(TimeSpan.FromMinutes(1));
                await SubmitAsync(App.Services, campaign, [member], Ct);
            }
        }
        await SubmitInOrderAsync(members.Take(9));
        // Read first now: release 1 takes the 6 ready at once.
        var before = await ApiAsync(client, reader);
        Assert.Equal((1, 6), (ReleaseNumber(before), before.GetProperty("respondents").GetInt32()));

        // The operator reopens the first member; it raises every level to 4 and submits again.
        var first = members[0];
        var corrected = first with { Cells = [4, 4, 4, 4, 4] };
        Assert.Equal(ReopenOutcome.Reopened, await App.InScopeAsync(s => s.GetRequiredService<OperatorAnswers>().ReopenAsync(campaign.Link(first).ParticipantId, Seeding.Operator, Ct)));
        // Reopened, not submitted again yet: it stays in the panel with its frozen answers.
        Assert.Equal(before.GetRawText(), (await ApiAsync(client, reader)).GetRawText());
        await SaveAllAsync(campaign, corrected);
        await SubmitInOrderAsync([first]);
        Assert.Equal(before.GetRawText(), (await ApiAsync(client, reader)).GetRawText());

        // 2 fresh questionnaires more: still fewer than N ready (held back: members[8], [9], [10]).
        await SubmitInOrderAsync(members.Skip(9).Take(2));
        Assert.Equal(before.GetRawText(), (await ApiAsync(client, reader)).GetRawText());

        // A third: release 2 takes 3 newcomers and the correction together.
        await SubmitInOrderAsync([members[11]]);
        var after = await ApiAsync(client, reader);
        Assert.Equal((2, 9), (ReleaseNumber(after), after.GetProperty("respondents").GetInt32()));
        var release = members.Skip(1).Take(8).Prepend(corrected).ToList();
        foreach (var theme in Themes)
        {
            Assert.Equal(Expected.ThemeMean(model, release, theme), ById(after.GetProperty("themes"), theme).GetProperty("panel").GetProperty("mean").GetDouble(), 9);
        }

        // During the review, a member corrects its answers in place: nothing shows until N newcomers join.
        await App.CloseAsync(campaign.Seeded, App.Now.AddDays(7), Ct);
        var second = members[1];
        var secondCorrected = second with { Cells = [3, 3, 3, 3, 3] };
        await SaveAllAsync(campaign, secondCorrected);
        Assert.Equal(after.GetRawText(), (await ApiAsync(client, reader)).GetRawText());
        await SubmitInOrderAsync([members[12]]);
        Assert.Equal(after.GetRawText(), (await ApiAsync(client, reader)).GetRawText());

        // Frozen at the end of the review: the final results, 13 questionnaires, corrections included.
        App.Clock.SetUtcNow(App.Now.AddDays(8));
        Assert.IsType<CloseOutcome.Frozen>(await App.InScopeAsync(s => s.GetRequiredService<CampaignLifecycle>().FreezeAsync(campaign.Id, Seeding.Operator, Ct)));
        var final = await ApiAsync(client, reader);
        Assert.Equal((true, 13, JsonValueKind.Null), (final.GetProperty("final").GetBoolean(), final.GetProperty("respondents").GetInt32(), final.GetProperty("release").ValueKind));
        var everyone = members.Skip(2).Prepend(secondCorrected).Prepend(corrected).ToList();
        foreach (var theme in Themes)
        {
            Assert.Equal(Expected.ThemeMean(model, everyone, theme), ById(final.GetProperty("themes"), theme).GetProperty("panel").GetProperty("mean").GetDouble(), 9);
        }
        // The releases' copies of the answers are dropped with the freeze; their number, date and size remain.
        var releases = await App.WithDbAsync(db => db.BenchmarkReleases.AsNoTracking().Where(r => r.CampaignId == campaign.Id).ToListAsync(Ct));
        Assert.NotEmpty(releases);
        Assert.All(releases, r => Assert.Equal("", r.ResponsesCsv));
    }

    [Fact]
    public async Task Release_TwoInstancesRacingToMakeIt_EndWithOne()
    {
        var members = Panel(7);
        var campaign = await SeedWithThresholdAsync(members);
        await SubmitAsync(App.Services, campaign, members, Ct);
        var instances = new[] { Database.Instance(1), Database.Instance(2) };
        var clients = instances.Select(i => i.Client()).ToList();
        try
        {
            var reads = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
                ApiAsync(clients[i % 2], campaign.Link(members[i % members.Count]).Token)));

            Assert.All(reads, read => Assert.Equal((1, 4), (ReleaseNumber(read), read.GetProperty("respondents").GetInt32())));
            Assert.Single(reads.Select(read => read.GetProperty("release").GetRawText()).Distinct());
            var releases = await App.WithDbAsync(db => db.BenchmarkReleases.Where(r => r.CampaignId == campaign.Id).ToListAsync(Ct));
            var release = Assert.Single(releases);
            Assert.Equal((1, 4), (release.Number, release.Respondents));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task Releases_AnswersOfSupersededOnesAreDeleted()
    {
        var members = Panel(12);
        var campaign = await SeedWithThresholdAsync(members);
        using var client = Client();
        foreach (var member in members)
        {
            App.Clock.Advance(TimeSpan.FromMinutes(1));
            await SubmitAsync(App.Services, campaign, [member], Ct);
            await ApiOrConflictAsync(client, campaign.Link(members[0]).Token);
        }

        var releases = await App.WithDbAsync(db => db.BenchmarkReleases.AsNoTracking().Where(r => r.CampaignId == campaign.Id).OrderBy(r => r.Number).ToListAsync(Ct));

        Assert.Equal([(1, 3), (2, 6), (3, 9)], releases.Select(r => (r.Number, r.Respondents)));
        Assert.Equal("", releases[0].ResponsesCsv);
        Assert.All(releases.Skip(1), r => Assert.Equal(r.Respondents + 1, r.ResponsesCsv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length));
    }

    [Fact]
    public async Task OpenApi_DescribesTheInterimRelease()
    {
        using var client = Client();

        var document = await GetJsonAsync(client, "/openapi/v1.json", Ct);

        var operation = document.GetProperty("paths").GetProperty("/api/questionnaire/{token}/benchmark").GetProperty("get");
        Assert.Contains("2 × N questionnaires transmis", operation.GetProperty("description").GetString(), StringComparison.Ordinal);
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var properties = schemas.GetProperty("BenchmarkDocument").GetProperty("properties");
        Assert.True(properties.TryGetProperty("release", out _) && properties.TryGetProperty("inPanel", out _), properties.GetRawText());
        Assert.Equal(["number", "respondents", "createdAt"], schemas.GetProperty("ReleaseDto").GetProperty("properties").EnumerateObject().Select(p => p.Name));
    }

    private async Task<PanelCampaign> SeedWithThresholdAsync(List<Member> members)
    {
        var campaign = await SeedAsync(App.Services, members, Ct);
        await App.WithDbAsync(db => db.Campaigns.Where(c => c.Id == campaign.Id).ExecuteUpdateAsync(c => c.SetProperty(x => x.SecrecyThreshold, N), Ct));
        return campaign;
    }

    /// <summary>Saves every answer of a member as the operator does for a reopened questionnaire or during the review.</summary>
    private async Task SaveAllAsync(PanelCampaign campaign, Member member)
    {
        for (var q = 0; q < campaign.Model.Questions.Count; q++)
        {
            var question = campaign.Model.Questions[q].Id;
            var level = member.Cells[q];
            var outcome = await App.InScopeAsync(s => s.GetRequiredService<OperatorAnswers>().SaveAsync(
                campaign.Link(member).ParticipantId, question, new AnswerInput(level, null, null), Seeding.Operator, cancellationToken: Ct));
            Assert.IsType<SaveOutcome.Saved>(outcome);
        }
    }

    private static int ReleaseNumber(JsonElement document) => document.GetProperty("release").GetProperty("number").GetInt32();

    private static async Task<JsonElement> ApiAsync(HttpClient client, string token)
    {
        using var response = await client.GetAsync(new Uri($"/api/questionnaire/{token}/benchmark", UriKind.Relative), Ct);
        var body = await response.JsonAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"benchmark answered {(int)response.StatusCode}: {body}");
        return body;
    }

    private static async Task<JsonElement?> ApiOrConflictAsync(HttpClient client, string token)
    {
        using var response = await client.GetAsync(new Uri($"/api/questionnaire/{token}/benchmark", UriKind.Relative), Ct);
        var body = await response.JsonAsync(Ct);
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"benchmark answered {(int)response.StatusCode}: {body}");
        return response.StatusCode == HttpStatusCode.OK ? body : null;
    }

    /// <summary>One read of the benchmark by the API and by the page, at the same moment.</summary>
    private static async Task<Read> ReadAsync(HttpClient client, SeededCollectivite link, IReadOnlyList<Member> submitted)
    {
        var document = await ApiOrConflictAsync(client, link.Token);
        var page = await Html.GetAsync(client, $"{link.Home}/resultats", Ct);
        var notice = page.QuerySelector(".notice[role=status]")!.TextContent;
        var count = QuestionnaireCount().Match(notice);
        // The panel's columns of the page's table: median and central half of each theme.
        var table = string.Join(" | ", page.QuerySelectorAll("table tbody tr").Select(row =>
            string.Join(" ", row.QuerySelectorAll("td").Skip(1).Take(2).Select(td => td.TextContent.Trim()))));
        var themes = new Dictionary<string, (int Scored, double Mean)>(StringComparer.Ordinal);
        if (document is { } json)
        {
            foreach (var theme in Themes)
            {
                var panel = ById(json.GetProperty("themes"), theme).GetProperty("panel");
                themes[theme] = (panel.GetProperty("scored").GetInt32(), panel.GetProperty("mean").GetDouble());
            }
        }
        var pageRespondents = page.QuerySelector("table") is null ? 0 : int.Parse(count.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Equal(document?.GetProperty("respondents").GetInt32() ?? 0, pageRespondents);
        return new Read(
            [.. submitted],
            document?.GetProperty("respondents").GetInt32() ?? 0,
            document?.GetProperty("final").GetBoolean() ?? false,
            document is { } d && d.TryGetProperty("release", out var release) && release.ValueKind == JsonValueKind.Object ? release.GetProperty("number").GetInt32() : null,
            document is { } e && e.TryGetProperty("inPanel", out var inPanel) && inPanel.GetBoolean(),
            themes,
            pageRespondents,
            table);
    }

    [GeneratedRegex(@"(\d+) (?:questionnaires|collectivités)")]
    private static partial Regex QuestionnaireCount();

    private sealed record Read(
        IReadOnlyList<Member> Submitted, int Respondents, bool Final, int? Release, bool InPanel,
        IReadOnlyDictionary<string, (int Scored, double Mean)> Themes, int PageRespondents, string PageTable)
    {
        /// <summary>The sum of the panel's scores on a theme (mean × scored); 0 without a benchmark.</summary>
        public double Sum(string theme) => Themes.TryGetValue(theme, out var figure) ? figure.Mean * figure.Scored : 0;

        public bool SameFigures(Read other) =>
            Respondents == other.Respondents && Themes.Count == other.Themes.Count
            && Themes.All(t => other.Themes.TryGetValue(t.Key, out var o) && o == t.Value);

        public override string ToString() =>
            $"{Respondents} respondents, {string.Join(", ", Themes.Select(t => $"{t.Key} {t.Value.Mean} × {t.Value.Scored}"))}";
    }
}

public sealed class SecrecyOverTimeTests_Sqlite(SqliteDatabase database) : SecrecyOverTimeTests<SqliteDatabase>(database);

public sealed class SecrecyOverTimeTests_Postgres(PostgresDatabase database) : SecrecyOverTimeTests<PostgresDatabase>(database);
