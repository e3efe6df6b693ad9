using Barometre.Core.Responses;
using Barometre.Data.Campaigns;
using Microsoft.Extensions.DependencyInjection;

namespace Barometre.Web.Tests.Infrastructure;

/// <summary>
/// A closed edition on the small model for the tests of a campaign that follows it: four collectivités, A and B
/// submitted (answers <see cref="AnswersOfA"/> and <see cref="AnswersOfB"/>), C answered without submitting (so its
/// answers are not frozen), D never answered.
/// </summary>
internal static class Editions
{
    /// <summary>A's answers in the earlier edition, in small-model order: strategie 2, pilotage 4, evaluation NSP, demarches NC, mediation 1.</summary>
    public static readonly sbyte[] AnswersOfA = [2, 4, CellCode.DontKnow, CellCode.NotConcerned, 1];

    /// <summary>B's answers in the earlier edition: each differs from A's.</summary>
    public static readonly sbyte[] AnswersOfB = [0, 3, 1, 4, 2];

    /// <summary>C's answers, imported and never submitted.</summary>
    public static readonly sbyte[] AnswersOfC = [1, 1, 1, 1, 1];

    /// <summary>Seeds the earlier edition (small model) and closes it: its results are frozen with A and B.</summary>
    public static async Task<SeededCampaign> ClosedEarlierEditionAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var earlier = await Seeding.SeedCampaignAsync(services, collectivites: 4, cancellationToken: cancellationToken);
        var respondents = earlier.Collectivites.Take(3).Select(c => new Respondent(c.Code, c.Name)).ToList();
        var responses = new ResponseSet(earlier.Model, respondents, [.. AnswersOfA, .. AnswersOfB, .. AnswersOfC]);
        await Seeding.InScopeAsync(services, async scoped =>
        {
            var answers = scoped.GetRequiredService<OperatorAnswers>();
            var (problems, _) = await answers.ImportAsync(earlier.Id, responses, "édition précédente", Seeding.Operator, cancellationToken);
            Assert.Empty(problems);
            await answers.SubmitOnBehalfAsync(earlier.Id, [earlier.A.Code, earlier.B.Code], Seeding.Operator, cancellationToken);
            var closed = await scoped.GetRequiredService<CampaignLifecycle>().CloseAsync(earlier.Id, null, Seeding.Operator, cancellationToken);
            Assert.Equal(new CloseOutcome.Frozen(2), closed);
            return 0;
        });
        return earlier;
    }

    /// <summary>The same collectivités (codes, names, details) as a panel, for the campaign that follows.</summary>
    public static Task<IReadOnlyList<Data.Import.PanelEntry>> PanelOfAsync(IServiceProvider services, SeededCampaign campaign, CancellationToken cancellationToken) =>
        Seeding.InScopeAsync(services, scoped => scoped.GetRequiredService<CampaignQueries>().PanelAsync(campaign.Id, cancellationToken));
}
