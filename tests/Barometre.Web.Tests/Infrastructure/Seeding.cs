using Barometre.Core.Responses;
using Barometre.Data.Campaigns;
using Barometre.Data.Import;
using Microsoft.Extensions.DependencyInjection;

namespace Barometre.Web.Tests.Infrastructure;

/// <summary>
/// Creates test data through the app's own services (any app: a <see cref="BarometreApp"/>'s
/// <c>Services</c>, or a Kestrel app built with <see cref="BarometreServer"/>).
/// </summary>
internal static class Seeding
{
    /// <summary>The password of the operators <see cref="AddOperatorAsync"/> creates.</summary>
    public const string OperatorPassword = "phrase de passe du test 2026";

    /// <summary>Who the seeding acts as in the audit trail.</summary>
    public static Actor Operator { get; } = Actor.Operator("seed@exemple.fr");

    private static int s_codes = 100;

    /// <summary>Runs <paramref name="action"/> with the services of a new scope (what one request sees).</summary>
    public static async Task<T> InScopeAsync<T>(IServiceProvider services, Func<IServiceProvider, Task<T>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        await using var scope = services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    /// <summary>
    /// Creates a campaign (the small two-theme model unless another is given) with a panel of
    /// <paramref name="collectivites"/> collectivités (codes unique in the test run) or the given
    /// <paramref name="panel"/>, and issues their links; as the edition after <paramref name="previousCampaignId"/> when given, with the
    /// organiser's <paramref name="contact"/> when given.
    /// </summary>
    public static Task<SeededCampaign> SeedCampaignAsync(
        IServiceProvider services, string? modelText = null, int collectivites = 3, IReadOnlyList<PanelEntry>? panel = null, int? previousCampaignId = null,
        CampaignContact? contact = null, CancellationToken cancellationToken = default)
    {
        modelText ??= TestModels.Small;
        var model = CampaignModels.Parse(modelText);
        var first = Interlocked.Add(ref s_codes, collectivites) - collectivites + 1;
        panel ??= [.. Enumerable.Range(first, collectivites)
            .Select(n => new PanelEntry(new Respondent($"2{n:D8}", $"Communauté de communes n°{n}", "communauté de communes", 10_000 + n, "Bretagne"), $"dgs{n}@exemple.fr"))];
        var name = $"Baromètre de test {first}";
        return InScopeAsync(services, async scoped =>
        {
            var campaign = await scoped.GetRequiredService<CampaignLifecycle>().CreateAsync(name, modelText, model, panel, Operator, previousCampaignId, contact, cancellationToken: cancellationToken);
            var issued = await scoped.GetRequiredService<CampaignInvitations>().IssueAsync(campaign.Id, reissueAll: false, Operator, cancellationToken: cancellationToken);
            return new SeededCampaign(campaign.Id, name, model, [.. issued.Select(i => new SeededCollectivite(i.ParticipantId, i.Code, i.Name, i.Token, i.ExpiresAt))]);
        });
    }

    /// <summary>Names a contributor of a collectivité (as « Qui êtes-vous ? » does); returns what X-Contributor carries for them.</summary>
    public static Task<string> AddContributorAsync(IServiceProvider services, SeededCollectivite collectivite, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collectivite);
        return InScopeAsync(services, async scoped =>
        {
            var questionnaire = scoped.GetRequiredService<Questionnaire>();
            var access = await questionnaire.OpenAsync(collectivite.Token, cancellationToken) ?? throw new InvalidOperationException("The link opens nothing.");
            return await questionnaire.IdentifyAsync(access, name, null, cancellationToken) is IdentifyOutcome.Identified identified
                ? identified.Credential
                : throw new InvalidOperationException($"« {name} » was refused.");
        });
    }

    /// <summary>Creates an operator account (a new address each time) with <see cref="OperatorPassword"/>.</summary>
    public static async Task<OperatorCredentials> AddOperatorAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var credentials = new OperatorCredentials($"operateur-{Guid.NewGuid():N}@exemple.fr", OperatorPassword);
        var problem = await InScopeAsync(services, scoped => scoped.GetRequiredService<OperatorAccounts>().AddAsync(credentials.Email, credentials.Password, cancellationToken: cancellationToken));
        if (problem is not null)
        {
            throw new InvalidOperationException(problem);
        }
        return credentials;
    }
}
