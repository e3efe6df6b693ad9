using System.Globalization;
using System.Net;
using Barometre.Web.Tests.Infrastructure;
using Barometre.Web.Tests.Security;

namespace Barometre.Web.Tests.Pages;

/// <summary>
/// A method none of a page's handlers takes gets 405 with the methods it does take (never the 500 of a page rendered
/// without its handler), for every page of the app, with a valid link, a signed-in operator and an antiforgery token.
/// </summary>
public abstract class UnhandledMethodTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH"];

    [Fact]
    public async Task EveryPage_AMethodNoHandlerTakes_Is405WithAllow()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        var values = new Dictionary<string, string>
        {
            ["id"] = campaign.Id.ToString(CultureInfo.InvariantCulture),
            ["participantId"] = campaign.A.ParticipantId.ToString(CultureInfo.InvariantCulture),
            ["token"] = campaign.A.Token,
            ["number"] = "1",
            ["code"] = "404",
        };
        using var client = await App.SignedInClientAsync(cancellationToken: Ct);
        var antiforgery = Html.AntiforgeryToken(await Html.GetAsync(client, "/admin/campagnes/nouvelle", Ct));
        var pages = (await EndpointAccessTable.EndpointsAsync(App.Services)).Where(e => e.IsPage).GroupBy(e => e.Pattern);
        var failures = new List<string>();
        var probed = 0;

        foreach (var page in pages)
        {
            var taken = page.Select(e => e.Method).ToHashSet(StringComparer.Ordinal);
            var url = EndpointAccessTable.Url(page.First() with { Handler = null }, values);
            foreach (var method in Methods.Where(m => !taken.Contains(m)))
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), url)
                {
                    Content = new FormUrlEncodedContent([new("__RequestVerificationToken", antiforgery)]),
                };
                using var response = await client.SendAsync(request, Ct);
                probed++;
                var allow = string.Join(", ", response.Content.Headers.Allow);
                var expected = string.Join(", ", (taken.Contains("GET") ? taken.Append("HEAD") : taken).Order(StringComparer.Ordinal));
                if (response.StatusCode != HttpStatusCode.MethodNotAllowed || allow != expected)
                {
                    failures.Add($"{method} {url}: {(int)response.StatusCode}, Allow « {allow} » (expected 405, Allow « {expected} »)");
                }
            }
        }

        Assert.True(probed > 20, $"Only {probed} requests probed: the pages were not found.");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Page_PostWithoutTheNameOfItsOnlyNamedHandlers_Is404()
    {
        // The questionnaire's home takes POST for ?handler=Identify and ?handler=Lead only.
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = App.Client();
        var home = await Html.GetAsync(client, campaign.A.Home, Ct);

        using var response = await Html.PostFormAsync(client, campaign.A.Home, [new("__RequestVerificationToken", Html.AntiforgeryToken(home))], Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

public sealed class UnhandledMethodTests_Sqlite(SqliteDatabase database) : UnhandledMethodTests<SqliteDatabase>(database);

public sealed class UnhandledMethodTests_Postgres(PostgresDatabase database) : UnhandledMethodTests<PostgresDatabase>(database);
