using Barometre.Core.Model;
using Barometre.Core.Responses;
using Barometre.Data.Campaigns;
using Barometre.Data.Import;
using Microsoft.Extensions.DependencyInjection;

namespace Barometre.Data.Tests.Infrastructure;

/// <summary>A campaign made for a test through Data's services: its model and its collectivités, in panel order.</summary>
public sealed record SeededCampaign(int Id, string Name, MaturityModel Model, IReadOnlyList<SeededCollectivite> Collectivites)
{
    public SeededCollectivite A => Collectivites[0];

    public SeededCollectivite B => Collectivites[1];

    public SeededCollectivite C => Collectivites[2];
}

/// <summary>A collectivité of a seeded campaign, with the link issued to it (null when none was issued).</summary>
public sealed record SeededCollectivite(int ParticipantId, string Code, string Name, string? Email, string? Token);

/// <summary>
/// Creates campaigns as an operator would, through <see cref="CampaignLifecycle"/> and <see cref="CampaignInvitations"/>
/// (the web tests' seeding does the same through the app's services).
/// </summary>
public static class Seeding
{
    /// <summary>A small model on the default scale (levels 0 to 4): two themes of three and two questions.</summary>
    public const string ModelText = """
        id: modele-essai
        title: Référentiel d'essai
        themes:
          - id: gouvernance
            title: Gouvernance
            questions:
              - id: gouvernance.strategie
                label: Stratégie numérique formalisée
              - id: gouvernance.pilotage
                label: Instance de pilotage
              - id: gouvernance.evaluation
                label: Évaluation régulière
          - id: services
            title: Services
            questions:
              - id: services.demarches
                label: Démarches en ligne
              - id: services.mediation
                label: Médiation numérique
        """;

    /// <summary>Who the seeding acts as in the audit trail.</summary>
    public static Actor Operator { get; } = Actor.Operator("seed@exemple.fr");

    private static int s_codes = 100;

    /// <summary><paramref name="count"/> collectivités with codes unique in the test run.</summary>
    public static IReadOnlyList<PanelEntry> Panel(int count)
    {
        var first = Interlocked.Add(ref s_codes, count) - count + 1;
        return [.. Enumerable.Range(first, count).Select(n =>
            new PanelEntry(new Respondent($"2{n:D8}", $"Communauté de communes n°{n}", "communauté de communes", 10_000 + n, "Bretagne"), $"dgs{n}@exemple.fr"))];
    }

    /// <summary>
    /// Creates a campaign on <see cref="ModelText"/> with a panel of <paramref name="collectivites"/> collectivités and,
    /// with <paramref name="issueLinks"/>, issues their links.
    /// </summary>
    public static async Task<SeededCampaign> SeedCampaignAsync(
        IServiceProvider services, int collectivites = 3, bool issueLinks = true, CancellationToken cancellationToken = default)
    {
        var model = CampaignModels.Parse(ModelText);
        var panel = Panel(collectivites);
        var name = $"Baromètre d'essai {panel[0].Respondent.Code}";
        await using var scope = services.CreateAsyncScope();
        var campaign = await scope.ServiceProvider.GetRequiredService<CampaignLifecycle>().CreateAsync(name, ModelText, model, panel, Operator, cancellationToken: cancellationToken);
        var tokens = new Dictionary<int, string>();
        if (issueLinks)
        {
            var issued = await scope.ServiceProvider.GetRequiredService<CampaignInvitations>().IssueAsync(campaign.Id, reissueAll: false, Operator, cancellationToken: cancellationToken);
            tokens = issued.ToDictionary(i => i.ParticipantId, i => i.Token);
        }
        return new SeededCampaign(campaign.Id, name, model,
            [.. campaign.Participants.OrderBy(p => p.Id).Select(p => new SeededCollectivite(p.Id, p.Code, p.Name, p.Email, tokens.GetValueOrDefault(p.Id)))]);
    }
}
