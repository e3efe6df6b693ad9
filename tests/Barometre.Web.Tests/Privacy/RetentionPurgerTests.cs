using System.Net;
using Barometre.Data.Privacy;
using Barometre.Web.Tests.Infrastructure;
using Barometre.Web.Tests.Publishing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Barometre.Web.Tests.Privacy;

/// <summary>
/// The server's own retention purge (<see cref="Web.Privacy.RetentionPurger"/>): once a published campaign's retention
/// period is over, the server erases its personal data by itself, and every public figure — the results API by
/// selection, the dashboard's downloads, the open-data package — is the same bytes, read from a fresh instance.
/// A class of its own: it moves its app's clock two years ahead.
/// </summary>
public abstract class RetentionPurgerTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task HostedService_ErasesOncePastTheRetention_AndThePublishedFiguresStayByteIdentical()
    {
        var campaign = await PublicationPanels.SeedAsync(App.Services, PublicationPanels.Standard(), Ct);
        using var browser = App.CookielessClient();
        // Three members answer through their link with a name: the answer, the submission and the journal carry it.
        foreach (var member in campaign.Members.Take(3))
        {
            var link = campaign.Link(member);
            var credential = await App.AddContributorAsync(link, $"Agent {member.Code}", Ct);
            using var saved = await browser.PutAnswerAsync(link.Token, campaign.Model.Questions[0].Id, new { level = (int)member.Cells[0], comment = "Vu en conseil" }, contributor: credential, cancellationToken: Ct);
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
            using var submitted = await browser.SubmitAsync(link.Token, credential, Ct);
            Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        }
        await PublicationPanels.SubmitAsync(App.Services, campaign, campaign.Members.Skip(3), Ct);
        await App.CloseAsync(campaign.Seeded, null, Ct);
        await PublicationPanels.PublishAsync(App.Services, campaign, null, Ct);
        string[] published =
        [
            campaign.ResultsUrl(), campaign.ResultsUrl(type: PublicationPanels.Commune), campaign.ResultsUrl(region: PublicationPanels.Bretagne),
            $"/resultats/{campaign.Id}?handler=Csv", $"/resultats/{campaign.Id}?handler=Json", $"/resultats/{campaign.Id}/donnees.zip",
        ];
        var before = await ReadAllAsync(published);

        // Past the period: the server's round, waiting on the app's clock, runs and erases by itself.
        App.Clock.Advance(TimeSpan.FromDays(PersonalData.DefaultRetentionMonths * 31));
        var erasedAt = await WaitForErasureAsync(campaign.Id);

        Assert.Equal(App.Now, erasedAt);
        var entry = Assert.Single(await App.WithDbAsync(db => db.AuditEntries.Where(a => a.CampaignId == campaign.Id && a.Action == PersonalDataPurge.AuditAction).ToListAsync(Ct)));
        Assert.Equal("effacement automatique (durée de conservation)", entry.Actor);
        Assert.StartsWith("3 contributeurs (nom et adresse), 3 réponses (auteur), 3 transmissions (auteur), 16 adresses des collectivités", entry.NewValue, StringComparison.Ordinal);
        var names = await App.WithDbAsync(db => db.Contributors.Where(c => c.Participant!.CampaignId == campaign.Id).Select(c => new { c.Id, c.Name, c.Email }).ToListAsync(Ct));
        Assert.All(names, c => Assert.Equal((PersonalData.NeutralName(c.Id), (string?)null), (c.Name, c.Email)));
        // A fresh instance (no cached figure) publishes the same bytes.
        await using var fresh = new BarometreApp(Database);
        Assert.Equal(before, await ReadAllAsync(published, fresh));
        // The next round finds nothing to do.
        Assert.DoesNotContain(await App.Services.GetRequiredService<Web.Privacy.RetentionPurger>().RunOnceAsync(Ct), p => p.CampaignId == campaign.Id);
    }

    private async Task<IReadOnlyList<string>> ReadAllAsync(IEnumerable<string> urls, BarometreApp? app = null)
    {
        using var client = (app ?? App).CookielessClient();
        var bodies = new List<string>();
        foreach (var url in urls)
        {
            using var response = await client.GetAsync(url, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, url);
            bodies.Add($"{url}\n{Convert.ToBase64String(await response.Content.ReadAsByteArrayAsync(Ct))}");
        }
        return bodies;
    }

    private async Task<DateTime> WaitForErasureAsync(int campaignId)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (await App.WithDbAsync(db => db.Campaigns.Where(c => c.Id == campaignId).Select(c => c.PersonalDataErasedAt).SingleAsync(Ct)) is { } erasedAt)
            {
                return erasedAt;
            }
            await Task.Delay(100, Ct);
        }
        throw new TimeoutException("The server did not erase the campaign's personal data by itself within 30 s.");
    }
}

public sealed class RetentionPurgerTests_Sqlite(SqliteDatabase database) : RetentionPurgerTests<SqliteDatabase>(database);

public sealed class RetentionPurgerTests_Postgres(PostgresDatabase database) : RetentionPurgerTests<PostgresDatabase>(database);
