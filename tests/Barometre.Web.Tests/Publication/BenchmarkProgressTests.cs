using System.Net.Http.Json;
using AngleSharp.Dom;
using Barometre.Core.Responses;
using Barometre.Data.Campaigns;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Barometre.Web.Tests.Publishing;

/// <summary>
/// « Votre comparatif » of a campaign following a closed edition: the collectivité's own progress — its score on each
/// comparable theme and its global index then and now, its segment then and now — and nobody else's.
/// </summary>
public abstract class BenchmarkProgressTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task BenchmarkPage_FollowingCampaign_ShowsTheCollectivitesOwnProgress()
    {
        var earlier = await Editions.ClosedEarlierEditionAsync(App.Services, Ct);
        var panel = await Editions.PanelOfAsync(App.Services, earlier, Ct);
        var later = await Seeding.SeedCampaignAsync(App.Services, TestModels.SmallNext, panel: panel, previousCampaignId: earlier.Id, cancellationToken: Ct);
        // Later answers (pilotage.strategie, pilotage.instance, services.demarches, services.mediation, services.accueil; levels 0 to 5).
        sbyte[] a = [3, 5, 4, 2, 1], b = [1, 1, 1, 1, 1], c = [2, 2, 2, 2, 2], d = [0, 0, 0, 0, 0];
        await App.InScopeAsync(async scoped =>
        {
            var answers = scoped.GetRequiredService<OperatorAnswers>();
            var responses = new ResponseSet(later.Model, later.Collectivites.Select(x => new Respondent(x.Code, x.Name)), [.. a, .. b, .. c, .. d]);
            Assert.Empty((await answers.ImportAsync(later.Id, responses, "test", Seeding.Operator, Ct)).Problems);
            await answers.SubmitOnBehalfAsync(later.Id, [.. later.Collectivites.Select(x => x.Code)], Seeding.Operator, Ct);
            return 0;
        });
        // Four questionnaires: a threshold of 2 gives them a final benchmark.
        await App.WithDbAsync(db => db.Campaigns.Where(x => x.Id == later.Id).ExecuteUpdateAsync(x => x.SetProperty(y => y.SecrecyThreshold, 2), Ct));
        await App.InScopeAsync(scoped => scoped.GetRequiredService<CampaignLifecycle>().CloseAsync(later.Id, null, Seeding.Operator, Ct));
        using var client = App.Client();

        var pageA = await Html.GetAsync(client, $"{later.A.Home}/resultats", Ct);
        var pageB = await Html.GetAsync(client, $"{later.B.Home}/resultats", Ct);
        var pageC = await Html.GetAsync(client, $"{later.C.Home}/resultats", Ct);

        // Then: the earlier answers on the six-level scale (4 → 5), each theme's mean level × 100/5; the earlier index
        // is the earlier edition's own (five levels: × 100/4). A then: pilotage (2, 5, NSP) → 70; services (NC, 1) → 20;
        // index ((2 + 4)/2 × 25 + 1 × 25)/2 = 50. A now: pilotage (3, 5) → 80; services (4, 2, 1) → 46.67; index 63.33.
        Assert.Equal("Votre progression depuis 2026", pageA.QuerySelector("#progression")!.TextContent);
        Assert.Equal(
            [["Pilotage numérique", "70,0", "80,0", "+10,0"], ["Services aux usagers", "20,0", "46,7", "+26,7"], ["Indice global", "50,0", "63,3", "+13,3"]],
            Rows(pageA));
        // B then: pilotage (0, 3, 1) → 26.67, services (5, 2) → 70, index ((0 + 3 + 1)/3 × 25 + 3 × 25)/2 = 54.17; now 20 everywhere.
        Assert.Equal(
            [["Pilotage numérique", "26,7", "20,0", "−6,7"], ["Services aux usagers", "70,0", "20,0", "−50,0"], ["Indice global", "54,2", "20,0", "−34,2"]],
            Rows(pageB));
        // C's earlier questionnaire was never submitted: no progress to show.
        Assert.Null(pageC.QuerySelector("section.progress-since"));
        Assert.NotNull(pageC.QuerySelector("h1"));
        // The segment now is the benchmark's own.
        var benchmark = await client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/questionnaire/{later.A.Token}/benchmark", Ct);
        var segmentNow = benchmark.GetProperty("segment").GetString() ?? "non établi";
        var segment = Html.TextOf(pageA.QuerySelector("p.segment-change")!);
        Assert.Matches($"^Votre profil : .+ en 2026, {System.Text.RegularExpressions.Regex.Escape(segmentNow)} en 2028\\.$", segment);
    }

    private static string[][] Rows(IDocument page) =>
        [.. page.QuerySelectorAll("table.progress-since tbody tr").Select(row => row.Children.Select(cell => cell.TextContent.Trim()).ToArray())];
}

public sealed class BenchmarkProgressTests_Sqlite(SqliteDatabase database) : BenchmarkProgressTests<SqliteDatabase>(database);

public sealed class BenchmarkProgressTests_Postgres(PostgresDatabase database) : BenchmarkProgressTests<PostgresDatabase>(database);
