using Barometre.Data.Campaigns;
using Barometre.Data.Mail;
using Barometre.Data.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Barometre.Data.Tests.Privacy;

/// <summary>
/// A closed campaign whose records name people in every way Baromètre records them: contributors with names and
/// e-mails, answers and a submission signed with their names, a lead handed over, an address corrected, a message
/// refused by the mail server quoting its address, answers and a submission by an operator, and a comment that names a
/// contributor (an answer's content, which stays).
/// </summary>
internal sealed record PrivacyScenario(SeededCampaign Campaign, string MarieCredential, string PaulCredential, string JeanCredential)
{
    public const string CorrectedAddressDomain = "@accueil-exemple.fr";

    /// <summary>The names and addresses are the scenario's own (its first collectivité's code in them), so that a test finds only its campaign's.</summary>
    public string Marie => $"Marie Dupont {Campaign.A.Code}";

    public string MarieEmail => $"marie.dupont.{Campaign.A.Code}@mairie-exemple.fr";

    public string Paul => $"Paul Martin {Campaign.A.Code}";

    public string PaulEmail => $"paul.martin.{Campaign.A.Code}@mairie-exemple.fr";

    public string Jean => $"Jean {Campaign.A.Code}";

    public string CorrectedAddress => Campaign.A.Code + CorrectedAddressDomain;

    public string Comment => $"Validé en conseil par {Marie}";

    /// <summary>The names and addresses that must be gone after a purge, the panel's addresses included.</summary>
    public IReadOnlyList<string> Identities => [Marie, MarieEmail, Paul, PaulEmail, Jean, CorrectedAddress, .. Campaign.Collectivites.Select(c => c.Email!)];

    public static async Task<PrivacyScenario> SeedAsync(IServiceProvider services, TimeProvider clock, CancellationToken cancellationToken)
    {
        var campaign = await Seeding.SeedCampaignAsync(services, 3, issueLinks: true, cancellationToken);
        async Task<T> With<TService, T>(Func<TService, Task<T>> action)
            where TService : notnull
        {
            await using var scope = services.CreateAsyncScope();
            return await action(scope.ServiceProvider.GetRequiredService<TService>());
        }
        async Task<QuestionnaireAccess> Open(SeededCollectivite c) => (await With<Questionnaire, QuestionnaireAccess?>(q => q.OpenAsync(c.Token, cancellationToken)))!;
        async Task<string> Identify(SeededCollectivite c, string name, string? email) =>
            Assert.IsType<IdentifyOutcome.Identified>(await With<Questionnaire, IdentifyOutcome>(async q => await q.IdentifyAsync(await Open(c), name, email, cancellationToken))).Credential;
        async Task Save(SeededCollectivite c, string question, AnswerInput input, string credential) =>
            Assert.IsType<SaveOutcome.Saved>(await With<Questionnaire, SaveOutcome>(async q =>
            {
                var access = await Open(c);
                return await q.SaveAsync(access.Link, question, input, null, await q.ContributorNameAsync(access.Link, credential, cancellationToken), cancellationToken);
            }));

        var names = new PrivacyScenario(campaign, "", "", "");
        var marie = await Identify(campaign.A, names.Marie, names.MarieEmail);
        var paul = await Identify(campaign.A, names.Paul, names.PaulEmail);
        var jean = await Identify(campaign.C, names.Jean, null);
        await Save(campaign.A, "gouvernance.strategie", new AnswerInput(3, null, names.Comment), marie);
        await Save(campaign.A, "gouvernance.pilotage", new AnswerInput(2, null, null), marie);
        await Save(campaign.A, "gouvernance.pilotage", new AnswerInput(1, null, null), paul);
        await Save(campaign.A, "services.demarches", new AnswerInput(null, "NSP", null), paul);
        await Save(campaign.C, "gouvernance.strategie", new AnswerInput(0, null, null), jean);
        await With<Questionnaire, bool>(async q =>
        {
            var access = await Open(campaign.A);
            var contributors = await q.ContributorsAsync(access, cancellationToken);
            return await q.HandOverLeadAsync(access, marie, contributors.Single(c => c.Name == names.Paul).Id, cancellationToken);
        });
        Assert.Equal(SubmitOutcome.Submitted, await With<Questionnaire, SubmitOutcome>(async q => await q.SubmitAsync(await Open(campaign.A), paul, null, cancellationToken)));
        Assert.Equal(SubmitOutcome.Submitted, await With<Questionnaire, SubmitOutcome>(async q => await q.SubmitAsync(await Open(campaign.C), jean, null, cancellationToken)));

        var @operator = Actor.Operator("alice@exemple.fr");
        await With<OperatorAnswers, SaveOutcome>(answers => answers.SaveAsync(campaign.B.ParticipantId, "gouvernance.strategie", new AnswerInput(4, null, "Papier"), @operator, cancellationToken: cancellationToken));
        Assert.Null(await With<MailOutbox, string?>(outbox => outbox.CorrectAddressAsync(campaign.B.ParticipantId, names.CorrectedAddress, @operator, cancellationToken)));
        Assert.Equal(1, await With<OperatorAnswers, int>(answers => answers.SubmitOnBehalfAsync(campaign.Id, [campaign.B.Code], @operator, cancellationToken)));
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Barometre.Data.Storage.BarometreDbContext>();
            db.Outbox.Add(new OutboxMessage
            {
                CampaignId = campaign.Id, ParticipantId = campaign.A.ParticipantId, Kind = MailKind.Invitation, Sequence = 1, Address = campaign.A.Email!,
                SiteUrl = "https://barometre.exemple.fr", Status = DeliveryStatus.Refused, QueuedAt = clock.GetUtcNow().UtcDateTime, QueuedBy = "opérateur alice@exemple.fr",
                Reply = $"550 5.1.1 <{campaign.A.Email}>: Recipient address rejected",
            });
            await db.SaveChangesAsync(cancellationToken);
        }
        Assert.IsType<CloseOutcome.Frozen>(await With<CampaignLifecycle, CloseOutcome>(lifecycle => lifecycle.CloseAsync(campaign.Id, null, @operator, cancellationToken)));
        return names with { MarieCredential = marie, PaulCredential = paul, JeanCredential = jean };
    }

    /// <summary>The campaign's results recomputed from its stored answers, as the freeze computes them, serialised.</summary>
    public static async Task<string> RecomputedResultsAsync(IServiceProvider services, int campaignId, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var responses = await scope.ServiceProvider.GetRequiredService<CampaignQueries>().ResponsesAsync(campaignId, submittedOnly: true, cancellationToken);
        return Core.Results.ResultsJson.Serialize(Core.Barometer.Compute(responses));
    }
}
