using System.Net;
using System.Text.Json;
using Barometre.Web.Tests.Infrastructure;

namespace Barometre.Web.Tests.Api;

/// <summary><c>/health</c> and the OpenAPI document.</summary>
public abstract class ServiceEndpointsTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task Health_DatabaseAnswers_Returns200Ok()
    {
        using var client = Client();

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync(Ct));
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
        Assert.Equal("SubmitQuestionnaire", Operation(paths, "/api/questionnaire/{token}/submit", "post"));
        Assert.Equal("GetBenchmark", Operation(paths, "/api/questionnaire/{token}/benchmark", "get"));
        Assert.Equal("Health", Operation(paths, "/health", "get"));
        var questionnaireOperations = paths.EnumerateObject()
            .Where(p => p.Name.StartsWith("/api/questionnaire", StringComparison.Ordinal))
            .Sum(p => p.Value.EnumerateObject().Count(o => o.Name is "get" or "put" or "post" or "delete" or "patch"));
        Assert.Equal(4, questionnaireOperations);
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
