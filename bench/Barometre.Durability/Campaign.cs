using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Barometre.Durability;

/// <summary>An answer one writer owns: a collectivité's link and a question.</summary>
internal sealed record AnswerKey(string Code, string Token, string QuestionId);

/// <summary>The campaign the writers answer, seeded as an operator would: through the CLI, links from its CSV.</summary>
internal static class Campaign
{
    private const string Model = "maturite-numerique-2019";

    /// <summary>Creates the campaign and its links (the server is not running yet); returns (code, token) per collectivité.</summary>
    public static async Task<IReadOnlyList<(string Code, string Token)>> SeedAsync(ServerProcess barometre, DurabilityOptions options, CancellationToken cancellationToken)
    {
        var panel = Path.Combine(options.Work, "panel.csv");
        var builder = new StringBuilder("code,nom,type,population,region,email\n");
        for (var i = 1; i <= options.Collectivites; i++)
        {
            builder.Append(CultureInfo.InvariantCulture, $"D{i:D5},Collectivité fictive {i},Commune,{5000 + (i * 37)},Région {i % 13},contact{i}@example.org\n");
        }
        await File.WriteAllTextAsync(panel, builder.ToString(), cancellationToken);

        var id = (await barometre.RunAsync(["campaign", "create", "--model", Model, "--name", $"Durabilité ({options.Label})", "--panel", panel], cancellationToken)).Trim();
        var links = Path.Combine(options.Work, "links.csv");
        await barometre.RunAsync(["campaign", "invitations", "--campaign", id, "--base-url", barometre.Root.ToString(), "--out", links], cancellationToken);
        return ReadLinks(links);
    }

    /// <summary>The keys of the campaign: every (collectivité, question), questions in the model's order.</summary>
    public static async Task<IReadOnlyList<AnswerKey>> KeysAsync(HttpClient http, IReadOnlyList<(string Code, string Token)> links, CancellationToken cancellationToken)
    {
        using var document = await GetQuestionnaireAsync(http, links[0].Token, cancellationToken);
        var questions = document.RootElement.GetProperty("themes").EnumerateArray()
            .SelectMany(theme => theme.GetProperty("questions").EnumerateArray())
            .Select(question => question.GetProperty("id").GetString()!)
            .ToList();
        return [.. links.SelectMany(link => questions.Select(question => new AnswerKey(link.Code, link.Token, question)))];
    }

    /// <summary>GET /api/questionnaire/{token}, which must answer 200.</summary>
    public static async Task<JsonDocument> GetQuestionnaireAsync(HttpClient http, string token, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri($"/api/questionnaire/{token}", UriKind.Relative), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new SetupException($"GET /api/questionnaire/… answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
        return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
    }

    /// <summary>
    /// The mail-merge CSV of <c>campaign invitations</c> (code, nom, email, link): the code is the first field
    /// (ours hold no comma) and the link the last, ending with <c>/q/{token}</c>.
    /// </summary>
    private static List<(string Code, string Token)> ReadLinks(string path)
    {
        var links = new List<(string Code, string Token)>();
        foreach (var line in File.ReadAllLines(path, Encoding.UTF8).Skip(1).Where(l => l.Length > 0))
        {
            var link = line[(line.LastIndexOf(',') + 1)..];
            var marker = link.LastIndexOf("/q/", StringComparison.Ordinal);
            if (marker < 0)
            {
                throw new SetupException($"{path}: no link in « {line} »");
            }
            links.Add((line[..line.IndexOf(',', StringComparison.Ordinal)], link[(marker + 3)..]));
        }
        return links.Count > 0 ? links : throw new SetupException($"{path}: no link issued");
    }
}
