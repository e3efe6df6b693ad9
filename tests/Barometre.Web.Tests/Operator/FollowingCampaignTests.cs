using System.Globalization;
using System.Net;
using Barometre.Data.Campaigns;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Barometre.Web.Tests.OperatorFlows;

/// <summary>
/// A campaign following a closed one, through /admin/campagnes/nouvelle (« Édition précédente », its panel taken over)
/// and the follow-up page (who answered both editions); every refusal a French form error with nothing created.
/// </summary>
public abstract class FollowingCampaignTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task NewCampaign_FollowingAClosedCampaign_TakesOverItsPanelAndFollowUpListsWhoAnsweredBoth()
    {
        var earlier = await Editions.ClosedEarlierEditionAsync(App.Services, Ct);
        var open = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = await App.SignedInClientAsync(cancellationToken: Ct);
        var form = await Html.GetAsync(client, "/admin/campagnes/nouvelle", Ct);
        var offered = form.QuerySelectorAll("select[name=PreviousCampaignId] option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Contains(earlier.Id.ToString(CultureInfo.InvariantCulture), offered);
        Assert.DoesNotContain(open.Id.ToString(CultureInfo.InvariantCulture), offered);   // only closed campaigns

        using var response = await PostAsync(client, "Baromètre 2028", TestModels.SmallNext, earlier.Id, reusePanel: true, panelCsv: null);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var path = OperatorPages.PathOf(response.Headers.Location);
        var id = int.Parse(path["/admin/campagnes/".Length..], CultureInfo.InvariantCulture);
        var campaign = await App.WithDbAsync(db => db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == id, Ct));
        Assert.Equal((earlier.Id, "modele-test-suite"), (campaign.PreviousCampaignId, campaign.ModelId));
        var participants = await App.WithDbAsync(db => db.Participants.AsNoTracking().Where(p => p.CampaignId == id).OrderBy(p => p.Id).ToListAsync(Ct));
        Assert.Equal(earlier.Collectivites.Select(c => (c.Code, c.Name)), participants.Select(p => (p.Code, p.Name)));
        var created = await Html.GetAsync(client, path, Ct);
        Assert.Contains($"La campagne « Baromètre 2028 » est créée avec 4 collectivités, à la suite de « {earlier.Name} ».", Html.Text(created), StringComparison.Ordinal);
        Assert.Contains("0 collectivité a répondu aux deux éditions", Html.TextOf(created.QuerySelector("section.both-editions")!), StringComparison.Ordinal);

        // A answered the earlier edition and starts this one, B answered it and submits this one; C started the earlier
        // one without submitting (nothing frozen) and starts this one; D does nothing.
        var links = await App.InScopeAsync(scoped => scoped.GetRequiredService<CampaignInvitations>().IssueAsync(id, reissueAll: false, Seeding.Operator, cancellationToken: Ct));
        var token = links.ToDictionary(l => l.Code, l => l.Token);
        using var api = App.Client();
        foreach (var code in new[] { earlier.A.Code, earlier.C.Code })
        {
            using var put = await api.PutAnswerAsync(token[code], "pilotage.strategie", new { level = 3 }, cancellationToken: Ct);
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        using (var put = await api.PutAnswerAsync(token[earlier.B.Code], "services.accueil", new { level = 5 }, cancellationToken: Ct))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        using (var submit = await api.SubmitAsync(token[earlier.B.Code], cancellationToken: Ct))
        {
            Assert.Equal(HttpStatusCode.OK, submit.StatusCode);
        }

        var followUp = await Html.GetAsync(client, path, Ct);
        var section = followUp.QuerySelector("section.both-editions")!;
        Assert.Contains("2 collectivités ont répondu aux deux éditions : 1 a transmis cette édition, 1 l'a commencée.", Html.TextOf(section), StringComparison.Ordinal);
        Assert.Equal([earlier.A.Code, earlier.B.Code], section.QuerySelectorAll("table.both-editions tbody tr td:first-child code").Select(c => c.TextContent));
        Assert.Equal(["En cours", "Transmis"], section.QuerySelectorAll("table.both-editions tbody .badge").Select(b => b.TextContent));
        Assert.Equal($"/admin/campagnes/{earlier.Id}", section.QuerySelector("p a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task NewCampaign_FollowingACampaignNotClosed_IsRefusedAndCreatesNothing()
    {
        var open = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = await App.SignedInClientAsync(cancellationToken: Ct);
        var before = await App.WithDbAsync(db => db.Campaigns.CountAsync(Ct));

        // The form offers only closed campaigns; a crafted post is refused all the same.
        using var response = await PostAsync(client, "Baromètre suivant", TestModels.SmallNext, open.Id, reusePanel: true, panelCsv: null);

        var errors = await ErrorsAsync(response);
        Assert.Equal([$"La campagne « {open.Name} » n'est pas close : une nouvelle édition ne peut suivre qu'une campagne dont les résultats sont figés."], errors);
        Assert.Equal(before, await App.WithDbAsync(db => db.Campaigns.CountAsync(Ct)));
    }

    [Fact]
    public async Task NewCampaign_ModelThatDoesNotFollow_IsRefusedWithTheLineageProblemsAndCreatesNothing()
    {
        var earlier = await Editions.ClosedEarlierEditionAsync(App.Services, Ct);
        using var client = await App.SignedInClientAsync(cancellationToken: Ct);
        var before = await App.WithDbAsync(db => db.Campaigns.CountAsync(Ct));

        // A shipped model that declares no lineage, then the later model with an earlier theme that does not exist.
        using var shipped = await PostAsync(client, "Baromètre suivant", null, earlier.Id, reusePanel: false, OperatorPages.PanelCsv(OperatorPages.NewCodes(2)));
        var misspelt = TestModels.SmallNext.Replace("pilotage: gouvernance", "pilotage: gouvernanse", StringComparison.Ordinal);
        using var unknown = await PostAsync(client, "Baromètre suivant", misspelt, earlier.Id, reusePanel: true, panelCsv: null);

        Assert.Matches(
            $"^Le référentiel ne peut pas suivre celui de la campagne « {earlier.Name} » : [^ ]*maturite-numerique-2019[^ ]*: le référentiel maturite-numerique-2019 ne déclare pas l'édition qu'il suit \\(« follows »\\) : il ne peut pas être comparé à modele-test$",
            Assert.Single(await ErrorsAsync(shipped)));
        var error = Assert.Single(await ErrorsAsync(unknown));
        Assert.Matches(@"^Le référentiel ne peut pas suivre celui de la campagne « .+ » : referentiel\.yaml:10:\d+: « follows\.themes », « pilotage » : le thème « gouvernanse » n'existe pas dans modele-test \(thèmes : gouvernance, services\)$", error);
        Assert.Equal(before, await App.WithDbAsync(db => db.Campaigns.CountAsync(Ct)));
    }

    [Fact]
    public async Task NewCampaign_PanelTakenOverWithoutAPreviousEdition_IsRefused()
    {
        using var client = await App.SignedInClientAsync(cancellationToken: Ct);
        var before = await App.WithDbAsync(db => db.Campaigns.CountAsync(Ct));

        using var response = await PostAsync(client, "Baromètre sans panel", null, previousCampaignId: null, reusePanel: true, panelCsv: null);

        Assert.Equal(["Choisissez l'édition précédente dont le panel doit être repris, ou déposez un fichier de panel."], await ErrorsAsync(response));
        Assert.Equal(before, await App.WithDbAsync(db => db.Campaigns.CountAsync(Ct)));
    }

    /// <summary>Posts the new campaign form: an uploaded model (the shipped 2019 model when null), the edition it follows, the panel taken over or a file.</summary>
    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string name, string? modelYaml, int? previousCampaignId, bool reusePanel, string? panelCsv)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Name"] = name,
            ["ModelSource"] = modelYaml is null ? "shipped" : "file",
            ["ShippedModel"] = "maturite-numerique-2019",
            ["PreviousCampaignId"] = previousCampaignId?.ToString(CultureInfo.InvariantCulture) ?? "",
        };
        if (reusePanel)
        {
            fields["ReusePanel"] = "true";
        }
        var files = new List<UploadedFile>();
        if (modelYaml is not null)
        {
            files.Add(new UploadedFile("ModelUpload", "referentiel.yaml", modelYaml, "application/yaml"));
        }
        if (panelCsv is not null)
        {
            files.Add(new UploadedFile("PanelUpload", "panel.csv", panelCsv));
        }
        return OperatorPages.UploadAsync(client, "/admin/campagnes/nouvelle", "main form", fields, files, Ct);
    }

    private static async Task<IReadOnlyList<string>> ErrorsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response, Ct);
        Assert.Contains("La campagne n'a pas été créée", Html.Text(page), StringComparison.Ordinal);
        return [.. page.QuerySelectorAll(".notice.error ul li").Select(li => li.TextContent.Trim())];
    }
}

public sealed class FollowingCampaignTests_Sqlite(SqliteDatabase database) : FollowingCampaignTests<SqliteDatabase>(database);

public sealed class FollowingCampaignTests_Postgres(PostgresDatabase database) : FollowingCampaignTests<PostgresDatabase>(database);
