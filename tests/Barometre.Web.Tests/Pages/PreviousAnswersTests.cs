using System.Net;
using System.Text.Json;
using Barometre.Web.Api;
using Barometre.Web.Tests.Infrastructure;

namespace Barometre.Web.Tests.Pages;

/// <summary>
/// A campaign following a closed edition: beside each question that continues an earlier one, the collectivité's own
/// earlier answer as the earlier edition froze it (API <c>previous</c> and theme pages), never another collectivité's.
/// </summary>
public abstract class PreviousAnswersTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task Api_FollowingCampaign_GivesEachCollectiviteItsOwnFrozenEarlierAnswers()
    {
        var (earlier, later) = await SeedAsync();
        using var client = App.Client();

        var a = await client.ReadQuestionnaireAsync(later.A.Token, Ct);
        var b = await client.ReadQuestionnaireAsync(later.B.Token, Ct);
        var c = await client.ReadQuestionnaireAsync(later.C.Token, Ct);
        var d = await client.ReadQuestionnaireAsync(later.Collectivites[3].Token, Ct);

        // The earlier label from the earlier model; the level it stands for on the six-level scale (4 → 5).
        Assert.Equal(new PreviousAnswerDto("2026", "gouvernance.strategie", 2, null, "Orientations formalisées", 2), Previous(a, "pilotage.strategie"));
        Assert.Equal(new PreviousAnswerDto("2026", "gouvernance.pilotage", 4, null, "Mise en œuvre complète", 5), Previous(a, "pilotage.instance"));
        Assert.Equal(new PreviousAnswerDto("2026", "services.demarches", null, "NC", "Non concerné", null), Previous(a, "services.demarches"));
        Assert.Equal(new PreviousAnswerDto("2026", "services.mediation", 1, null, "Réflexion engagée", 1), Previous(a, "services.mediation"));
        Assert.Null(Previous(a, "services.accueil"));   // a new question
        // B's link: B's answers, each different from A's.
        Assert.Equal(
            [("pilotage.strategie", 0), ("pilotage.instance", 3), ("services.demarches", 4), ("services.mediation", 2)],
            Questions(b).Where(q => q.Previous is not null).Select(q => (q.Id, q.Previous!.Level!.Value)));
        Assert.Equal("Sujet non abordé", Previous(b, "pilotage.strategie")!.Label);
        // C answered the earlier edition without submitting: nothing of it was frozen. D never answered.
        Assert.All(Questions(c).Concat(Questions(d)), q => Assert.Null(q.Previous));
        // The earlier edition's own questionnaire shows nothing earlier.
        Assert.All(Questions(await client.ReadQuestionnaireAsync(earlier.A.Token, Ct)), q => Assert.Null(q.Previous));
    }

    [Fact]
    public async Task Api_EarlierAnswer_StaysAsFrozenWhenTheQuestionIsAnsweredAgain()
    {
        var (_, later) = await SeedAsync();
        using var client = App.Client();

        // The earlier answer stays as frozen when this edition's answer changes; the dropped question's NSP shows nowhere.
        using var put = await client.PutAnswerAsync(later.A.Token, "pilotage.strategie", new { level = 4 }, cancellationToken: Ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var a = await client.ReadQuestionnaireAsync(later.A.Token, Ct);

        Assert.Equal(4, a.Answer("pilotage.strategie").Level);
        Assert.Equal(2, Previous(a, "pilotage.strategie")!.Level);
        Assert.DoesNotContain(Questions(a), q => q.Previous?.QuestionId == "gouvernance.evaluation");
        using var raw = await client.GetQuestionnaireAsync(later.A.Token, Ct);
        using var json = JsonDocument.Parse(await raw.Content.ReadAsStringAsync(Ct));
        var first = json.RootElement.GetProperty("themes")[0].GetProperty("questions")[0].GetProperty("previous");
        Assert.Equal("""{"edition":"2026","questionId":"gouvernance.strategie","level":2,"status":null,"label":"Orientations formalisées","translatedLevel":2}""", first.GetRawText());
    }

    [Fact]
    public async Task ThemePage_ShowsTheCollectivitesOwnEarlierAnswerBesideEachContinuedQuestion()
    {
        var (_, later) = await SeedAsync();
        using var client = App.Client();

        var pilotageA = await Html.GetAsync(client, $"{later.A.Home}/theme/1", Ct);
        var servicesA = await Html.GetAsync(client, $"{later.A.Home}/theme/2", Ct);
        var pilotageB = await Html.GetAsync(client, $"{later.B.Home}/theme/1", Ct);
        var servicesC = await Html.GetAsync(client, $"{later.C.Home}/theme/2", Ct);

        static string Shown(AngleSharp.Dom.IDocument page, string question) => Html.TextOf(page.QuerySelector($"#q-{question} .previous-answer")!);
        Assert.StartsWith("En 2026 : Orientations formalisées (niveau 2 de l'échelle d'alors, soit le niveau 2 — Orientations adoptées — de cette échelle)", Shown(pilotageA, "pilotage-strategie"), StringComparison.Ordinal);
        Assert.StartsWith("En 2026 : Mise en œuvre complète (niveau 4 de l'échelle d'alors, soit le niveau 5 — Pratique généralisée — de cette échelle)", Shown(pilotageA, "pilotage-instance"), StringComparison.Ordinal);
        Assert.StartsWith("En 2026 : Non concerné", Shown(servicesA, "services-demarches"), StringComparison.Ordinal);
        Assert.Null(servicesA.QuerySelector("#q-services-accueil .previous-answer"));
        Assert.StartsWith("En 2026 : Sujet non abordé", Shown(pilotageB, "pilotage-strategie"), StringComparison.Ordinal);
        Assert.DoesNotContain("Orientations formalisées (niveau 2", Html.Text(pilotageB), StringComparison.Ordinal);
        Assert.Empty(servicesC.QuerySelectorAll(".previous-answer"));
        // Read-only: the earlier answer is text, never a field the form posts.
        Assert.Empty(pilotageA.QuerySelectorAll(".previous-answer input, .previous-answer textarea"));
    }

    /// <summary>The closed earlier edition (<see cref="Editions"/>) and a campaign on the next model following it, with the same panel.</summary>
    private async Task<(SeededCampaign Earlier, SeededCampaign Later)> SeedAsync()
    {
        var earlier = await Editions.ClosedEarlierEditionAsync(App.Services, Ct);
        var panel = await Editions.PanelOfAsync(App.Services, earlier, Ct);
        var later = await Seeding.SeedCampaignAsync(App.Services, TestModels.SmallNext, panel: panel, previousCampaignId: earlier.Id, cancellationToken: Ct);
        Assert.Equal(earlier.Collectivites.Select(c => c.Code), later.Collectivites.Select(c => c.Code));
        return (earlier, later);
    }

    private static IEnumerable<QuestionDto> Questions(QuestionnaireDocument document) => document.Themes.SelectMany(t => t.Questions);

    private static PreviousAnswerDto? Previous(QuestionnaireDocument document, string questionId) => Questions(document).Single(q => q.Id == questionId).Previous;
}

public sealed class PreviousAnswersTests_Sqlite(SqliteDatabase database) : PreviousAnswersTests<SqliteDatabase>(database);

public sealed class PreviousAnswersTests_Postgres(PostgresDatabase database) : PreviousAnswersTests<PostgresDatabase>(database);
