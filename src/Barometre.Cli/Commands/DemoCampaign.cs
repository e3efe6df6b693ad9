using System.Globalization;
using System.Security.Cryptography;
using Barometre.Core.Responses;
using Barometre.Data.Campaigns;
using Barometre.Data.Import;
using Barometre.Data.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace Barometre.Cli.Commands;

/// <summary>
/// The demo campaigns, in a data folder (created once, then reused): the synthetic 2019 panel as a closed campaign
/// whose results are published; its follow-up on the 2021 model as a campaign following it, closed and published
/// too, so that the evolution shows; and the follow-up's panel as a campaign in progress following the 2019 one,
/// part of it answered. Then an operator account, and the server with respondent links to click and the public
/// dashboards.
/// </summary>
internal static class DemoCampaign
{
    public const string CampaignName = "Démonstration — données fictives";
    public const string PublishedCampaignName = "Démonstration — résultats publiés (données fictives)";
    public const string FollowUpCampaignName = "Démonstration — édition 2021, résultats publiés (données fictives)";
    public const string OperatorEmail = "operateur@barometre.invalid";
    private static readonly Actor DemoActor = new("démonstration", true);

    /// <summary>Whom the demo's collectivités would ask (the questionnaire's home shows it).</summary>
    private static readonly CampaignContact DemoContact = new("Équipe de démonstration du baromètre", "barometre@barometre.invalid");

    public static async Task<int> RunAsync(CliContext context, DatabaseSettings settings, DemoEditions editions, string urls, bool serve, CancellationToken cancellationToken)
    {
        var baseUrl = PublicAddress(urls);
        var kept = DemoAccess.Read(settings);
        DemoAccess access;
        int publishedId, followUpId;
        string inProgress;
        var renewed = new List<string>();
        await using (var db = await DataOptions.OpenAsync(settings, cancellationToken))
        {
            var accounts = new OperatorAccounts(db, context.Clock);
            var password = kept?.Password;
            if (password is null || !await accounts.HasPasswordAsync(OperatorEmail, password, cancellationToken))
            {
                password = NewPassword();
                await accounts.AddAsync(OperatorEmail, password, replace: true, cancellationToken);
                if (kept is not null)
                {
                    renewed.Add("le mot de passe (il avait été changé)");
                }
            }
            var services = CampaignServices.On(db, context.Clock);
            // The 2019 campaign first: the two others follow it.
            var published = await FindAsync(db, PublishedCampaignName, cancellationToken)
                ?? await CreatePublishedAsync(services, PublishedCampaignName, editions.First, previousCampaignId: null, cancellationToken);
            var followUp = await FindAsync(db, FollowUpCampaignName, cancellationToken)
                ?? await CreatePublishedAsync(services, FollowUpCampaignName, editions.FollowUp, published.Id, cancellationToken);
            var campaign = await FindAsync(db, CampaignName, cancellationToken)
                ?? await CreateAsync(services, editions.FollowUp, published.Id, cancellationToken);
            (publishedId, followUpId) = (published.Id, followUp.Id);
            // A data folder from an earlier version keeps its campaign in progress on the 2019 model.
            inProgress = $"en cours sur le référentiel {campaign.ModelId}"
                + (campaign.PreviousCampaignId is { } previous ? $", elle suit la campagne n° {previous.ToString(CultureInfo.InvariantCulture)}" : "");
            var links = await LinksAsync(services, campaign.Id, kept, renewed, cancellationToken);
            access = new DemoAccess(settings.Describe(), password, links.NotStarted, links.InProgress, links.Submitted);
        }
        if (access != kept)
        {
            DemoAccess.Write(settings, access);
        }

        context.Out.WriteLine();
        context.Out.WriteLine($"Campagne « {CampaignName} » prête ({settings.Describe()}) : {inProgress}.");
        context.Out.WriteLine($"  Espace opérateur : {baseUrl}/admin — identifiant {OperatorEmail}, mot de passe {access.Password}");
        context.Out.WriteLine($"  Une collectivité qui n'a pas commencé : {baseUrl}/q/{access.NotStarted}");
        context.Out.WriteLine($"  Une collectivité en cours de réponse : {baseUrl}/q/{access.InProgress}");
        context.Out.WriteLine($"  Le comparatif d'une collectivité qui a transmis : {baseUrl}/q/{access.Submitted}/resultats");
        if (kept is not null)
        {
            context.Out.WriteLine(renewed.Count == 0
                ? $"  (Mot de passe et liens du lancement précédent, gardés dans {DemoAccess.PathIn(settings)}.)"
                : $"  (Renouvelé(s) depuis le lancement précédent : {string.Join(", ", renewed)} ; le reste est inchangé, gardé dans {DemoAccess.PathIn(settings)}.)");
        }
        context.Out.WriteLine($"Campagne « {PublishedCampaignName} » close et publiée : {baseUrl}/resultats/{publishedId.ToString(CultureInfo.InvariantCulture)}");
        context.Out.WriteLine($"Campagne « {FollowUpCampaignName} », qui la suit, close et publiée avec son évolution : {baseUrl}/resultats/{followUpId.ToString(CultureInfo.InvariantCulture)}");
        if (!serve)
        {
            context.Out.WriteLine("Lancez le serveur avec : barometre serve --data " + settings.DataDirectory);
            return ExitCodes.Success;
        }
        await using var app = await ServeCommand.StartAsync(settings, urls, cancellationToken);
        context.Out.WriteLine($"Serveur lancé sur {string.Join(", ", app.Urls)} ; Ctrl+C pour arrêter.");
        await app.WaitForShutdownAsync(cancellationToken);
        return ExitCodes.Success;
    }

    private static Task<Campaign?> FindAsync(BarometreDbContext db, string name, CancellationToken cancellationToken) =>
        db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Name == name, cancellationToken);

    /// <summary>
    /// The campaign with the panel's first three fifths submitted, the next fifth halfway through, the
    /// last fifth not started, following the campaign <paramref name="previousCampaignId"/>.
    /// </summary>
    private static async Task<Campaign> CreateAsync(CampaignServices services, ResponseSet panel, int previousCampaignId, CancellationToken cancellationToken)
    {
        var model = panel.Model;
        var submitted = panel.Count * 3 / 5;
        var started = panel.Count * 4 / 5;
        var halfway = model.FirstQuestionOfTheme[model.Themes.Count / 2];
        var cells = panel.Cells.ToArray();
        for (var r = submitted; r < panel.Count; r++)
        {
            for (var q = r < started ? halfway : 0; q < model.Questions.Count; q++)
            {
                cells[(r * model.Questions.Count) + q] = CellCode.Blank;
            }
        }
        var campaign = await CreateWithAnswersAsync(services, CampaignName, new ResponseSet(model, panel.Respondents, cells), submitted, previousCampaignId, cancellationToken);
        await services.Invitations.IssueAsync(campaign.Id, reissueAll: false, DemoActor, cancellationToken: cancellationToken);
        return campaign;
    }

    /// <summary>The whole panel submitted, the campaign closed and its results published at the default threshold.</summary>
    private static async Task<Campaign> CreatePublishedAsync(
        CampaignServices services, string name, ResponseSet panel, int? previousCampaignId, CancellationToken cancellationToken)
    {
        var campaign = await CreateWithAnswersAsync(services, name, panel, panel.Count, previousCampaignId, cancellationToken);
        if (await services.Lifecycle.CloseAsync(campaign.Id, null, DemoActor, cancellationToken) is CloseOutcome.Refused closeRefused)
        {
            throw new InvalidOperationException(closeRefused.Reason);
        }
        if (await services.Lifecycle.PublishAsync(campaign.Id, null, DemoActor, cancellationToken) is PublishOutcome.Refused publishRefused)
        {
            throw new InvalidOperationException(publishRefused.Reason);
        }
        return campaign;
    }

    /// <summary>
    /// A campaign of the panel of <paramref name="answers"/> on their model, following the campaign
    /// <paramref name="previousCampaignId"/> when not null, with them imported and the first
    /// <paramref name="submitted"/> collectivités submitted.
    /// </summary>
    private static async Task<Campaign> CreateWithAnswersAsync(
        CampaignServices services, string name, ResponseSet answers, int submitted, int? previousCampaignId, CancellationToken cancellationToken)
    {
        var text = ModelFile.ReadText(answers.Model.Id).GetValueOrThrow().Text;
        var entries = answers.Respondents.Select(r => new PanelEntry(r, $"contact@{r.Code.ToLowerInvariant()}.barometre.invalid")).ToList();
        var campaign = await services.Lifecycle.CreateAsync(name, text, answers.Model, entries, DemoActor, previousCampaignId, DemoContact, cancellationToken: cancellationToken);
        await services.Answers.ImportAsync(campaign.Id, answers, "panel de démonstration", DemoActor, cancellationToken);
        await services.Answers.SubmitOnBehalfAsync(campaign.Id, [.. answers.Respondents.Take(submitted).Select(r => r.Code)], DemoActor, cancellationToken);
        return campaign;
    }

    /// <summary>
    /// Links (tokens) for one collectivité not started, one in progress and one that submitted: those of the previous
    /// run while they still work and their collectivité is still in that state — a demo run again must not break the
    /// links of the demo already open in a browser — else fresh ones (tokens are shown once), each named in
    /// <paramref name="renewed"/> when it replaces a kept one.
    /// </summary>
    private static async Task<(string NotStarted, string InProgress, string Submitted)> LinksAsync(
        CampaignServices services, int campaignId, DemoAccess? kept, List<string> renewed, CancellationToken cancellationToken)
    {
        var progress = await services.Queries.FollowUpAsync(campaignId, cancellationToken);
        var statusOf = progress.ToDictionary(p => p.Participant.Id, p => p.Status);

        async Task<string> LinkAsync(string? keptToken, ParticipantStatus status, ParticipantProgress fallback, string role)
        {
            if (keptToken is not null
                && await services.Invitations.ParticipantOfLiveLinkAsync(keptToken, cancellationToken) is { } participant
                && statusOf.GetValueOrDefault(participant) == status)
            {
                return keptToken;
            }
            if (keptToken is not null)
            {
                renewed.Add(role);
            }
            var chosen = progress.FirstOrDefault(p => p.Status == status) ?? fallback;
            return (await services.Invitations.ReissueAsync(chosen.Participant.Id, DemoActor, cancellationToken)).Token;
        }

        return (
            await LinkAsync(kept?.NotStarted, ParticipantStatus.NotStarted, progress[^1], "le lien de la collectivité qui n'a pas commencé"),
            await LinkAsync(kept?.InProgress, ParticipantStatus.InProgress, progress[0], "le lien de la collectivité en cours"),
            await LinkAsync(kept?.Submitted, ParticipantStatus.Submitted, progress[0], "le lien du comparatif"));
    }

    /// <summary>The address to print: the first one listened on, with « localhost » for a wildcard.</summary>
    private static string PublicAddress(string urls)
    {
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries)[0].Trim().TrimEnd('/');
        return first.Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal);
    }

    private static string NewPassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('+', 'x').Replace('/', 'y').TrimEnd('=').ToLower(CultureInfo.InvariantCulture);
}
