using Barometre.Data.Campaigns;
using Barometre.Data.Storage;

namespace Barometre.Cli.Commands;

/// <summary>The operators' campaign services on one open database, as the commands use them outside the web app's container.</summary>
internal sealed record CampaignServices(
    CampaignQueries Queries, CampaignLifecycle Lifecycle, CampaignInvitations Invitations, OperatorAnswers Answers, Data.Privacy.PersonalDataPurge Purge)
{
    /// <summary>The services on <paramref name="db"/>, sharing one cache of the campaigns' models.</summary>
    public static CampaignServices On(BarometreDbContext db, TimeProvider clock)
    {
        var models = new CampaignModels();
        var queries = new CampaignQueries(db, models, clock);
        return new(queries, new CampaignLifecycle(db, queries, clock), new CampaignInvitations(db, clock), new OperatorAnswers(db, models, clock), new Data.Privacy.PersonalDataPurge(db, clock));
    }
}
