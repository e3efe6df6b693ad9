using System.Net;
using System.Net.Http.Headers;
using Barometre.Data.Campaigns;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Barometre.Web.Tests.Api;

/// <summary>
/// Every error under <c>/api/</c> is a French <c>application/problem+json</c> — unknown routes, wrong methods,
/// binding failures, bodiless statuses, unexpected exceptions (500) and a database that cannot write (503) — whatever
/// the client accepts; pages keep their French HTML error pages.
/// </summary>
public abstract class ApiErrorsTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>, IAsyncLifetime
    where TDatabase : TestDatabase
{
    private WebApplicationFactory<Program>? _withTestRoutes;

    /// <summary>The app with <see cref="TestRoutes"/>: routes that fail on purpose, which production code does not have.</summary>
    private WebApplicationFactory<Program> WithTestRoutes =>
        _withTestRoutes ??= App.WithWebHostBuilder(host => host.ConfigureTestServices(services => services.AddSingleton<IStartupFilter, TestRoutes>()));

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_withTestRoutes is not null)
        {
            await _withTestRoutes.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }

    private HttpClient TestRoutesClient() => WithTestRoutes.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>Sends the request twice, once accepting anything and once as a browser (HTML first), and checks both problems alike.</summary>
    private static async Task<(string Title, string Detail)> ProblemAsync(HttpClient client, HttpMethod method, string path, HttpStatusCode status, string? apiKey = null)
    {
        (string, string)? first = null;
        foreach (var accept in new[] { "*/*", "text/html,application/xhtml+xml,*/*;q=0.8" })
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
            request.Headers.Accept.ParseAdd(accept);
            if (apiKey is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            }
            using var response = await client.SendAsync(request, Ct);
            var body = await response.Content.ReadAsStringAsync(Ct);

            Assert.True(response.StatusCode == status, $"{method} {path} (Accept: {accept}) answered {(int)response.StatusCode}: {body}");
            Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{method} {path} (Accept: {accept}) answered {response.Content.Headers.ContentType}: {body}");
            var problem = await response.JsonAsync(Ct);
            Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
            var found = (problem.GetProperty("title").GetString()!, problem.GetProperty("detail").GetString()!);
            Assert.Equal(first ?? found, found);
            first = found;
        }
        return first!.Value;
    }

    [Theory]
    [InlineData("/api/inconnu")]
    [InlineData("/api/campaigns/abc/results")]
    [InlineData("/api/questionnaire/jeton/inconnu")]
    public async Task UnknownApiRoute_Is404ProblemInFrench(string path)
    {
        using var client = Client();

        var (title, detail) = await ProblemAsync(client, HttpMethod.Get, path, HttpStatusCode.NotFound);

        Assert.Equal("Ressource introuvable", title);
        Assert.Equal("Aucune ressource de l'API ne correspond à cette adresse : voir /openapi/v1.json.", detail);
    }

    [Fact]
    public async Task WrongMethod_Is405ProblemInFrench()
    {
        using var client = Client();

        var (title, detail) = await ProblemAsync(client, HttpMethod.Delete, "/api/campaigns", HttpStatusCode.MethodNotAllowed);

        Assert.Equal("Méthode non autorisée", title);
        Assert.Equal("Cette adresse de l'API n'accepte pas la méthode DELETE : voir /openapi/v1.json.", detail);
    }

    [Fact]
    public async Task BindingFailureAndBodilessNotFound_AreProblemsInFrench()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        var (_, key) = await App.InScopeAsync(services => services.GetRequiredService<ApiKeys>().AddAsync("erreurs", Ct));
        using var client = Client();

        var (badTitle, badDetail) = await ProblemAsync(client, HttpMethod.Get, $"/api/admin/campaigns/{campaign.Id}/responses.csv?all=peut-etre", HttpStatusCode.BadRequest, key);
        var (missingTitle, _) = await ProblemAsync(client, HttpMethod.Get, "/api/admin/campaigns/987654", HttpStatusCode.NotFound, key);

        Assert.Equal("Requête invalide", badTitle);
        Assert.Equal("Un paramètre, un en-tête ou le corps de la requête n'a pas pu être lu : voir /openapi/v1.json pour leur forme.", badDetail);
        Assert.Equal("Ressource introuvable", missingTitle);
    }

    [Theory]
    [InlineData(HttpStatusCode.RequestEntityTooLarge, "Requête trop volumineuse")]
    [InlineData(HttpStatusCode.UnsupportedMediaType, "Type de contenu non pris en charge")]
    [InlineData(HttpStatusCode.TooManyRequests, "Trop de requêtes")]
    [InlineData(HttpStatusCode.RequestTimeout, "Erreur")]
    public async Task BodilessStatus_IsAProblemInFrench(HttpStatusCode status, string expectedTitle)
    {
        using var client = TestRoutesClient();

        var (title, detail) = await ProblemAsync(client, HttpMethod.Post, $"/api/essai/statut/{(int)status}", status);

        Assert.Equal(expectedTitle, title);
        Assert.False(string.IsNullOrWhiteSpace(detail));
    }

    [Fact]
    public async Task UnexpectedException_Is500ProblemInFrenchWithoutItsMessage()
    {
        using var client = TestRoutesClient();

        var (title, detail) = await ProblemAsync(client, HttpMethod.Get, "/api/essai/panne", HttpStatusCode.InternalServerError);

        Assert.Equal("Erreur interne", title);
        Assert.Equal("Le serveur n'a pas pu traiter la demande ; les réponses déjà enregistrées ne sont pas perdues. Réessayez dans un instant.", detail);
    }

    [Fact]
    public async Task EnvironmentFailure_Is503ProblemInFrench()
    {
        using var client = TestRoutesClient();

        var (title, detail) = await ProblemAsync(client, HttpMethod.Put, "/api/essai/disque-plein", HttpStatusCode.ServiceUnavailable);

        Assert.Equal("Service momentanément indisponible", title);
        Assert.Equal("Le serveur ne peut pas enregistrer pour le moment (base de données ou disque indisponible) : rien n'a été enregistré. Réessayez dans un instant.", detail);
    }

    [Fact]
    public async Task Pages_KeepTheirFrenchHtmlErrorPages()
    {
        using var client = TestRoutesClient();

        using var missing = await client.GetAsync(new Uri("/page-inconnue", UriKind.Relative), Ct);
        using var failing = await client.GetAsync(new Uri("/essai/panne", UriKind.Relative), Ct);

        Assert.Equal((HttpStatusCode.NotFound, "text/html"), (missing.StatusCode, missing.Content.Headers.ContentType?.MediaType));
        Assert.Contains("<h1>Page introuvable</h1>", await missing.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.InternalServerError, "text/html"), (failing.StatusCode, failing.Content.Headers.ContentType?.MediaType));
        Assert.Contains("<h1>Une erreur est survenue</h1>", await failing.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.RequestEntityTooLarge, "Requête trop volumineuse")]
    [InlineData(HttpStatusCode.TooManyRequests, "Trop de requêtes")]
    [InlineData(HttpStatusCode.ServiceUnavailable, "Service momentanément indisponible")]
    public async Task Pages_BodilessStatus_GetTheirFrenchHtmlPage(HttpStatusCode status, string title)
    {
        using var client = TestRoutesClient();

        using var response = await client.PostAsync(new Uri($"/essai/statut/{(int)status}", UriKind.Relative), null, Ct);

        Assert.Equal((status, "text/html"), (response.StatusCode, response.Content.Headers.ContentType?.MediaType));
        Assert.Contains($"<h1>{title}</h1>", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    /// <summary>
    /// Routes that fail on purpose, added after the app's own pipeline: reached only by what no endpoint of the app
    /// matched, and inside its error handling, as an endpoint's failure is.
    /// </summary>
    private sealed class TestRoutes : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Map("/api/essai/panne", failing => failing.Run(_ => throw new InvalidOperationException("panne d'essai")));
            app.Map("/api/essai/disque-plein", failing => failing.Run(_ => throw new IOException("No space left on device", 28)));
            app.Map("/api/essai/statut", status => status.Run(SetStatus));
            app.Map("/essai/statut", status => status.Run(SetStatus));
            app.Map("/essai/panne", failing => failing.Run(_ => throw new InvalidOperationException("panne d'essai")));
        };

        /// <summary>The status the path's last segment gives, without a body.</summary>
        private static Task SetStatus(HttpContext context)
        {
            context.Response.StatusCode = int.Parse(context.Request.Path.Value!.Trim('/'), System.Globalization.CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        }
    }
}

public sealed class ApiErrorsTests_Sqlite(SqliteDatabase database) : ApiErrorsTests<SqliteDatabase>(database);

public sealed class ApiErrorsTests_Postgres(PostgresDatabase database) : ApiErrorsTests<PostgresDatabase>(database);
