using System.Net;
using System.Text.Json;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Web.Tests.Api;

/// <summary>
/// <c>/health</c> (readiness: the database takes a write, checked at most every few seconds), <c>/health/live</c>
/// (liveness: the process answers, database or not) and the OpenAPI document.
/// </summary>
public abstract class ServiceEndpointsTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private static readonly Uri Health = new("/health", UriKind.Relative);

    /// <summary>Past the interval in which /health answers from its last write, so that the next request writes.</summary>
    private void NextProbe() => App.Clock.Advance(TimeSpan.FromMinutes(1));

    private Task<DateTime?> ProbedAtAsync() =>
        App.WithDbAsync(async db => (await db.HealthProbes.AsNoTracking().ToListAsync(Ct)).SingleOrDefault()?.At);

    [Fact]
    public async Task Health_DatabaseTakesAWrite_Returns200OkAndRecordsItsWrite()
    {
        using var client = Client();
        NextProbe();

        using var response = await client.GetAsync(Health, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync(Ct));
        var probe = await App.WithDbAsync(db => db.HealthProbes.AsNoTracking().SingleAsync(Ct));
        Assert.Equal(App.Now, probe.At);
        Assert.Equal($"{Environment.MachineName}/{Environment.ProcessId}", probe.Instance);
    }

    [Fact]
    public async Task Health_WithinTheInterval_AnswersFromItsLastWrite()
    {
        using var client = Client();
        NextProbe();
        (await client.GetAsync(Health, Ct)).Dispose();
        var written = App.Now;

        App.Clock.Advance(TimeSpan.FromSeconds(4));
        using (var soon = await client.GetAsync(Health, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, soon.StatusCode);
        }
        Assert.Equal(written, await ProbedAtAsync());

        App.Clock.Advance(TimeSpan.FromSeconds(1));
        using (var later = await client.GetAsync(Health, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        }
        Assert.Equal(App.Now, await ProbedAtAsync());
    }

    [Fact]
    public async Task Health_WriteLockHeldPastTheTimeout_Returns503InFrenchWhileLivenessStaysOk()
    {
        using var client = Client();
        NextProbe();
        var started = TimeProvider.System.GetTimestamp();
        await using (var writer = await HoldWriteLockAsync())
        {
            using var response = await client.GetAsync(Health, Ct);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.StartsWith("indisponible : ", text, StringComparison.Ordinal);
            Assert.Contains(Database.IsPostgres ? "délai dépassé" : "verrouillée", text, StringComparison.Ordinal);
            // Seconds, not the 30 s an answer's save waits for a lock (a generous bound: the probe gives up after 2 s).
            Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(20));
            using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative), Ct);
            Assert.Equal((HttpStatusCode.OK, "ok"), (live.StatusCode, await live.Content.ReadAsStringAsync(Ct)));
        }

        NextProbe();
        using var after = await client.GetAsync(Health, Ct);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    /// <summary>Another connection holding the write lock, as a long write or an administrator's transaction does.</summary>
    private async Task<IAsyncDisposable> HoldWriteLockAsync()
    {
        System.Data.Common.DbConnection connection = Database.IsPostgres
            ? new Npgsql.NpgsqlConnection(Database.ConnectionString)
            : new Microsoft.Data.Sqlite.SqliteConnection(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(Database.Settings.SqliteConnection) { Pooling = false }.ToString());
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = Database.IsPostgres ? "BEGIN; LOCK TABLE \"HealthProbes\" IN EXCLUSIVE MODE;" : "BEGIN IMMEDIATE;";
        await command.ExecuteNonQueryAsync(Ct);
        return connection;
    }

    [Fact]
    public async Task StaticFiles_TheFaviconEveryPageNames_IsServedAndKeptAYearUnderItsHash()
    {
        using var client = Client();
        var page = await client.GetStringAsync(new Uri("/", UriKind.Relative), Ct);
        var href = System.Text.RegularExpressions.Regex.Match(page, "<link rel=\"icon\" href=\"(?<href>[^\"]+)\"").Groups["href"].Value;

        using var versioned = await client.GetAsync(new Uri(System.Net.WebUtility.HtmlDecode(href), UriKind.Relative), Ct);
        using var plain = await client.GetAsync(new Uri("/favicon.svg", UriKind.Relative), Ct);

        Assert.StartsWith("/favicon.svg?v=", href, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, versioned.StatusCode);
        Assert.Equal("image/svg+xml", versioned.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", versioned.Headers.CacheControl?.ToString());
        // Without its hash the address may serve another release's file: asked again each time.
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.True(plain.Headers.CacheControl?.NoCache);
    }

    [Fact]
    public async Task OpenApi_Document_ListsTheQuestionnaireOperations()
    {
        using var client = Client();

        using var response = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.JsonAsync(Ct);
        Assert.Equal("Baromètre", document.GetProperty("info").GetProperty("title").GetString());
        var paths = document.GetProperty("paths");
        Assert.Equal("GetQuestionnaire", Operation(paths, "/api/questionnaire/{token}", "get"));
        Assert.Equal("PutAnswer", Operation(paths, "/api/questionnaire/{token}/answers/{questionId}", "put"));
        Assert.Equal("PutReply", Operation(paths, "/api/questionnaire/{token}/answers/{questionId}/reply", "put"));
        Assert.Equal("SubmitQuestionnaire", Operation(paths, "/api/questionnaire/{token}/submit", "post"));
        Assert.Equal("GetBenchmark", Operation(paths, "/api/questionnaire/{token}/benchmark", "get"));
        Assert.Equal("Health", Operation(paths, "/health", "get"));
        Assert.Equal("Liveness", Operation(paths, "/health/live", "get"));
        var questionnaireOperations = paths.EnumerateObject()
            .Where(p => p.Name.StartsWith("/api/questionnaire", StringComparison.Ordinal))
            .Sum(p => p.Value.EnumerateObject().Count(o => o.Name is "get" or "put" or "post" or "delete" or "patch"));
        Assert.Equal(5, questionnaireOperations);
    }

    private static string? Operation(JsonElement paths, string path, string method)
    {
        Assert.True(paths.TryGetProperty(path, out var item), $"{path} missing from the OpenAPI document: {string.Join(", ", paths.EnumerateObject().Select(p => p.Name))}");
        Assert.True(item.TryGetProperty(method, out var operation), $"{method.ToUpperInvariant()} {path} missing");
        return operation.GetProperty("operationId").GetString();
    }
}

public sealed class ServiceEndpointsTests_Sqlite(SqliteDatabase database) : ServiceEndpointsTests<SqliteDatabase>(database);

public sealed class ServiceEndpointsTests_Postgres(PostgresDatabase database) : ServiceEndpointsTests<PostgresDatabase>(database);
