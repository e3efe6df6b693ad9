using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Barometre.Web.Api;

namespace Barometre.Web.Tests.Infrastructure;

/// <summary>Calls of the questionnaire API, as the page's script makes them.</summary>
internal static class QuestionnaireCalls
{
    /// <summary>The API's JSON conventions (camelCase).</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>GET /api/questionnaire/{token}.</summary>
    public static Task<HttpResponseMessage> GetQuestionnaireAsync(this HttpClient client, string token, CancellationToken cancellationToken = default) =>
        client.GetAsync(new Uri($"/api/questionnaire/{token}", UriKind.Relative), cancellationToken);

    /// <summary>GET /api/questionnaire/{token}, expecting 200, as the contract.</summary>
    public static async Task<QuestionnaireDocument> ReadQuestionnaireAsync(this HttpClient client, string token, CancellationToken cancellationToken = default)
    {
        using var response = await client.GetQuestionnaireAsync(token, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET questionnaire answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
        return (await response.Content.ReadFromJsonAsync<QuestionnaireDocument>(Json, cancellationToken))!;
    }

    /// <summary>PUT …/answers/{questionId} with a JSON body (an object serialised, or raw text).</summary>
    public static Task<HttpResponseMessage> PutAnswerAsync(
        this HttpClient client, string token, string questionId, object body, string? ifMatch = null, string? contributor = null, CancellationToken cancellationToken = default) =>
        client.PutRawAsync(token, questionId, body as string ?? JsonSerializer.Serialize(body, Json), "application/json", ifMatch, contributor, cancellationToken);

    /// <summary>PUT …/answers/{questionId} with any body and content type.</summary>
    public static async Task<HttpResponseMessage> PutRawAsync(
        this HttpClient client, string token, string questionId, string body, string contentType, string? ifMatch = null, string? contributor = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri($"/api/questionnaire/{token}/answers/{Uri.EscapeDataString(questionId)}", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, contentType),
        };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        if (contributor is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Contributor", contributor);
        }
        return await client.SendAsync(request, cancellationToken);
    }

    /// <summary>POST …/submit.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(this HttpClient client, string token, string? contributor = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/questionnaire/{token}/submit", UriKind.Relative));
        if (contributor is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Contributor", contributor);
        }
        return await client.SendAsync(request, cancellationToken);
    }

    /// <summary>A response's JSON body.</summary>
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"Not JSON ({(int)response.StatusCode}): {text}", e);
        }
    }

    /// <summary>An answer as the API returns it.</summary>
    public static async Task<AnswerDto> AnswerAsync(this HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        return (await response.Content.ReadFromJsonAsync<AnswerDto>(Json, cancellationToken))!;
    }

    /// <summary>The answer a questionnaire document holds for a question.</summary>
    public static AnswerDto Answer(this QuestionnaireDocument document, string questionId)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.Themes.SelectMany(t => t.Questions).Single(q => q.Id == questionId).Answer;
    }
}
