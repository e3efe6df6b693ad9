using System.Globalization;
using System.Net;
using System.Text.Json;
using Barometre.Core.Model;
using Barometre.Core.Responses;
using Barometre.Data.Campaigns;
using Barometre.Data.Import;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Barometre.Web.Tests.Publishing;

/// <summary>A collectivité of a publication test panel and its answers (one cell per question of the small model, in model order).</summary>
internal sealed record Member(string Code, string Name, string Type, long Population, string Region, sbyte[] Cells);

/// <summary>A campaign seeded from a panel of <see cref="Member"/>s (answers imported, nothing submitted unless said).</summary>
internal sealed record PanelCampaign(SeededCampaign Seeded, IReadOnlyList<Member> Members)
{
    public int Id => Seeded.Id;

    public MaturityModel Model => Seeded.Model;

    /// <summary>The invitation link of a member.</summary>
    public SeededCollectivite Link(Member member) => Seeded.Collectivites.Single(c => c.Code == member.Code);

    public IReadOnlyList<Member> OfType(string type) => [.. Members.Where(m => m.Type == type)];

    /// <summary>The public results API of the campaign for a filter (values escaped).</summary>
    public string ResultsUrl(string? type = null, string? region = null, string? band = null) =>
        $"/api/campaigns/{Id}/results{Query(("type", type), ("region", region), ("populationBand", band))}";

    /// <summary>The public dashboard of the campaign for a filter (values escaped).</summary>
    public string DashboardUrl(string? type = null, string? region = null, string? band = null, string? handler = null) =>
        $"/resultats/{Id}{Query(("handler", handler), ("type", type), ("region", region), ("tranche", band))}";

    private static string Query(params (string Name, string? Value)[] parts)
    {
        var given = parts.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return given.Count == 0 ? "" : "?" + string.Join("&", given);
    }
}

/// <summary>
/// Panels whose statistical secrecy is worked out by hand, campaigns seeded from them through the app's own
/// services (<see cref="CampaignLifecycle"/>, <see cref="OperatorAnswers"/>), and the figures the tests expect, computed here from the answers
/// without the app's code.
/// </summary>
internal static class PublicationPanels
{
    public const string Commune = "commune";
    public const string Communaute = "communauté de communes";
    public const string Metropole = "métropole";
    public const string Bretagne = "Bretagne";
    public const string Normandie = "Normandie";

    /// <summary>The question of the small model four communes answer « ne sait pas » (index 3, the indicator's question).</summary>
    public const string Demarches = "services.demarches";

    private static int s_codes;

    /// <summary>
    /// 16 collectivités on the small model (themes gouvernance: 3 questions, services: 2):
    /// <list type="bullet">
    /// <item>8 communes (population below 20 000): 6 in Bretagne, 2 in Normandie; the first four answer
    /// « ne sait pas » to <see cref="Demarches"/>, so only 4 communes give it a level;</item>
    /// <item>5 communautés de communes (20 000 to 49 999), all in Bretagne;</item>
    /// <item>3 métropoles (250 000 or more), all in Bretagne.</item>
    /// </list>
    /// With N = 5: métropole (3) and Normandie (2) are below N, hence secret. The métropoles would be the panel
    /// minus the communes minus the communautés, the communes of Normandie the communes minus those of
    /// Bretagne, and Normandie the panel minus Bretagne (14). The cheapest safe pattern (the fewest respondents
    /// hidden, once per filter) hides commune (8, three filters: also « moins de 20 000 habitants » and both
    /// together) and Bretagne: 38, where hiding communauté de communes (5, six filters), Bretagne and
    /// commune · Bretagne (6, three filters) would be 62. Shown: the whole panel, communauté de communes (the
    /// same group as « 20 000 à 49 999 habitants » and as either in Bretagne) and commune · Bretagne (the same
    /// group as « Bretagne · moins de 20 000 habitants »), where <see cref="Demarches"/> (2 levels) and the alpha
    /// of services (2 complete rows) are secret.
    /// With N = 3: métropole, communauté de communes and commune are shown; Bretagne, Normandie and
    /// commune · Bretagne stay secret (differences of 2).
    /// </summary>
    public static IReadOnlyList<Member> Standard()
    {
        var members = new List<Member>();
        for (var i = 0; i < 16; i++)
        {
            var (type, population, region) = i switch
            {
                < 8 => (Commune, 5_000 + (i * 1_000), i < 6 ? Bretagne : Normandie),
                < 13 => (Communaute, 25_000 + (i * 1_000), Bretagne),
                _ => (Metropole, 300_000 + (i * 10_000), Bretagne),
            };
            var cells = new sbyte[5];
            for (var q = 0; q < cells.Length; q++)
            {
                cells[q] = (sbyte)(((i * 7) + (q * 3)) % 5);
            }
            if (i < 4)
            {
                cells[3] = CellCode.DontKnow;
            }
            members.Add(NewMember(type, population, region, cells));
        }
        return members;
    }

    /// <summary>A member with a code and a name unique in the test run (« PUB00042 », « Ville Temoin PUB00042 »).</summary>
    public static Member NewMember(string type, long population, string region, sbyte[] cells)
    {
        var code = string.Create(CultureInfo.InvariantCulture, $"PUB{Interlocked.Increment(ref s_codes):D5}");
        return new Member(code, $"Ville Temoin {code}", type, population, region, cells);
    }

    /// <summary>Creates the campaign (links issued; following <paramref name="previousCampaignId"/> when given) and imports every member's answers; nothing is submitted.</summary>
    public static async Task<PanelCampaign> SeedAsync(IServiceProvider services, IReadOnlyList<Member> members, CancellationToken cancellationToken, int? previousCampaignId = null)
    {
        ArgumentNullException.ThrowIfNull(members);
        var panel = members.Select(m => new PanelEntry(new Respondent(m.Code, m.Name, m.Type, m.Population, m.Region), $"{m.Code.ToLowerInvariant()}@exemple.fr")).ToList();
        var seeded = await Seeding.SeedCampaignAsync(services, panel: panel, previousCampaignId: previousCampaignId, cancellationToken: cancellationToken);
        var responses = new ResponseSet(seeded.Model, members.Select(m => new Respondent(m.Code, m.Name)), members.SelectMany(m => m.Cells).ToArray());
        var (problems, _) = await Seeding.InScopeAsync(services, scoped =>
            scoped.GetRequiredService<OperatorAnswers>().ImportAsync(seeded.Id, responses, "test", Seeding.Operator, cancellationToken));
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", problems.Select(p => p.Message)));
        }
        return new PanelCampaign(seeded, members);
    }

    /// <summary>Marks members' questionnaires submitted (on their behalf).</summary>
    public static async Task SubmitAsync(IServiceProvider services, PanelCampaign campaign, IEnumerable<Member> members, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        foreach (var member in members)
        {
            if (!await Seeding.InScopeAsync(services, async scoped =>
                await scoped.GetRequiredService<OperatorAnswers>().SubmitOnBehalfAsync(campaign.Id, [member.Code], Seeding.Operator, cancellationToken) > 0))
            {
                throw new InvalidOperationException($"{member.Code} was already submitted.");
            }
        }
    }

    /// <summary>Closes the campaign at once (results frozen).</summary>
    public static async Task CloseAsync(IServiceProvider services, PanelCampaign campaign, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        if (await Seeding.InScopeAsync(services, scoped => scoped.GetRequiredService<CampaignLifecycle>().CloseAsync(campaign.Id, null, Seeding.Operator, cancellationToken)) is CloseOutcome.Refused refused)
        {
            throw new InvalidOperationException(refused.Reason);
        }
    }

    /// <summary>Publishes the campaign's results (at the campaign's threshold when null).</summary>
    public static async Task PublishAsync(IServiceProvider services, PanelCampaign campaign, int? threshold, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        if (await Seeding.InScopeAsync(services, scoped => scoped.GetRequiredService<CampaignLifecycle>().PublishAsync(campaign.Id, threshold, Seeding.Operator, cancellationToken)) is PublishOutcome.Refused refused)
        {
            throw new InvalidOperationException(refused.Reason);
        }
    }

    /// <summary>Withdraws the campaign's public results.</summary>
    public static Task<bool> UnpublishAsync(IServiceProvider services, PanelCampaign campaign, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return Seeding.InScopeAsync(services, scoped => scoped.GetRequiredService<CampaignLifecycle>().UnpublishAsync(campaign.Id, Seeding.Operator, cancellationToken));
    }

    /// <summary>The <see cref="Standard"/> panel (or <paramref name="members"/>) seeded, every questionnaire submitted, closed and published.</summary>
    public static async Task<PanelCampaign> PublishedAsync(
        IServiceProvider services, CancellationToken cancellationToken, int? threshold = null, IReadOnlyList<Member>? members = null, int? previousCampaignId = null)
    {
        var campaign = await SeedAsync(services, members ?? Standard(), cancellationToken, previousCampaignId);
        await SubmitAsync(services, campaign, campaign.Members, cancellationToken);
        await CloseAsync(services, campaign, cancellationToken);
        await PublishAsync(services, campaign, threshold, cancellationToken);
        return campaign;
    }
}

/// <summary>The figures the app should publish, computed from the answers independently of its code.</summary>
internal static class Expected
{
    /// <summary>
    /// A member's score on a theme: the mean of its levels on the theme's questions, on 0–100 (level × 25 on
    /// the 0–4 scale); null unless at least half of the theme's questions have a level.
    /// </summary>
    public static double? ThemeScore(MaturityModel model, Member member, string themeId)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(member);
        var questions = Enumerable.Range(0, model.Questions.Count).Where(q => model.Themes[model.ThemeOfQuestion[q]].Id == themeId).ToList();
        var levels = questions.Select(q => member.Cells[q]).Where(cell => cell >= 0).Select(cell => (double)cell).ToList();
        return levels.Count * 2 >= questions.Count ? levels.Average() * 100 / model.Scale.MaxLevel : null;
    }

    /// <summary>The mean of the members' scores on a theme (those scored).</summary>
    public static double ThemeMean(MaturityModel model, IEnumerable<Member> members, string themeId) =>
        members.Select(m => ThemeScore(model, m, themeId)).OfType<double>().Average();

    /// <summary>The median of the members' scores on a theme (those scored), as numpy's median.</summary>
    public static double ThemeMedian(MaturityModel model, IEnumerable<Member> members, string themeId) =>
        Median(members.Select(m => ThemeScore(model, m, themeId)).OfType<double>());

    /// <summary>The median: the middle value, or the mean of the two middle ones.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new InvalidOperationException("No value.");
        }
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>How many members gave each level (0..4) to a question.</summary>
    public static int[] Counts(MaturityModel model, IEnumerable<Member> members, string questionId)
    {
        ArgumentNullException.ThrowIfNull(model);
        var q = model.IndexOfQuestion(questionId);
        var counts = new int[model.Scale.MaxLevel + 1];
        foreach (var member in members)
        {
            if (member.Cells[q] >= 0)
            {
                counts[member.Cells[q]]++;
            }
        }
        return counts;
    }
}

/// <summary>Checks shared by the publication tests.</summary>
internal static class PublicChecks
{
    /// <summary>A GET expecting <paramref name="status"/>, returning the body.</summary>
    public static async Task<string> GetTextAsync(HttpClient client, string url, HttpStatusCode status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative), cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.StatusCode == status, $"GET {url} answered {(int)response.StatusCode}, not {(int)status}: {text[..Math.Min(text.Length, 600)]}");
        return text;
    }

    /// <summary>A GET expecting 200 and JSON.</summary>
    public static async Task<JsonElement> GetJsonAsync(HttpClient client, string url, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(await GetTextAsync(client, url, HttpStatusCode.OK, cancellationToken));
        return document.RootElement.Clone();
    }

    /// <summary>No member's code or name appears in a public text (JSON, HTML, CSV).</summary>
    public static void NamesNoCollectivite(string text, IEnumerable<Member> members, string where)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var member in members)
        {
            Assert.False(text.Contains(member.Code, StringComparison.Ordinal), $"{where} shows the code {member.Code}.");
            Assert.False(text.Contains(member.Name, StringComparison.Ordinal), $"{where} shows the name {member.Name}.");
        }
    }

    /// <summary>The names of every property anywhere in a JSON document.</summary>
    public static IEnumerable<string> PropertyNames(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    yield return property.Name;
                    foreach (var name in PropertyNames(property.Value))
                    {
                        yield return name;
                    }
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    foreach (var name in PropertyNames(item))
                    {
                        yield return name;
                    }
                }
                break;
            default:
                break;
        }
    }

    /// <summary>Whether a JSON value is exactly the secrecy marker <c>{"suppressed": true}</c>.</summary>
    public static bool IsSecretMarker(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object
        && element.EnumerateObject().Select(p => p.Name).SequenceEqual(["suppressed"])
        && element.GetProperty("suppressed").ValueKind == JsonValueKind.True;

    /// <summary>The names of an object's properties, in order.</summary>
    public static string[] Keys(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];

    /// <summary>The element of a JSON array whose « id » is <paramref name="id"/>.</summary>
    public static JsonElement ById(JsonElement array, string id) => array.EnumerateArray().Single(e => e.GetProperty("id").GetString() == id);
}
