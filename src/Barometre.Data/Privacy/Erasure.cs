using Barometre.Data.Campaigns;
using Barometre.Data.Storage;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Data.Privacy;

/// <summary>
/// Erases people from a campaign's records, as <see cref="PersonalData"/> defines them: the whole campaign's (the
/// retention purge) or one contributor's (their own erasure). Works on tracked rows and leaves the saving to the caller,
/// so that the erasure and its audit entry commit together. Only the fields that name people change: answers' levels,
/// comments and evidence, the results and every figure stay as they are.
/// </summary>
internal static class Erasure
{
    /// <summary>Erases every contributor's identity and every address of the campaign.</summary>
    public static async Task<ErasureCounts> CampaignAsync(BarometreDbContext db, int campaignId, CancellationToken cancellationToken)
    {
        var participants = await db.Participants.Where(p => p.CampaignId == campaignId).Include(p => p.Contributors).ToListAsync(cancellationToken);
        var plans = participants.ToDictionary(p => p.Id, p => Plan.Of(p, p.Contributors));
        var everyone = new Plan(
            plans.Values.SelectMany(plan => plan.Names).DistinctBy(pair => pair.Key, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal),
            new Dictionary<string, string>(), AnyAddress);
        int contributors = 0, submissions = 0, addresses = 0;
        foreach (var participant in participants)
        {
            contributors += EraseContributors(participant.Contributors);
            submissions += EraseSubmitter(participant, plans[participant.Id]) ? 1 : 0;
            if (participant.Email is not null)
            {
                participant.Email = null;
                addresses++;
            }
        }
        var messages = 0;
        foreach (var message in await db.Outbox.Where(m => m.CampaignId == campaignId).ToListAsync(cancellationToken))
        {
            var reply = PersonalData.Scrub(message.Reply, everyone.Names, AnyAddress);
            if (message.Address != PersonalData.ErasedAddress || reply != message.Reply)
            {
                (message.Address, message.Reply) = (PersonalData.ErasedAddress, reply);
                messages++;
            }
        }
        var answers = await EraseAuthorsAsync(db.Answers.Where(a => a.Participant!.CampaignId == campaignId), plans, cancellationToken);
        var audit = await EraseAuditAsync(db.AuditEntries.Where(a => a.CampaignId == campaignId), plans, everyone, cancellationToken);
        return new ErasureCounts(contributors, answers, submissions, addresses, messages, audit);
    }

    /// <summary>Erases one contributor's identity: their name and e-mail, wherever the collectivité's records carry them.</summary>
    public static async Task<ErasureCounts> ContributorAsync(BarometreDbContext db, Participant participant, Contributor contributor, CancellationToken cancellationToken)
    {
        var email = contributor.Email;
        var plan = Plan.Of(participant, [contributor]) with
        {
            Addresses = address => email is not null && string.Equals(address, email, StringComparison.OrdinalIgnoreCase),
        };
        var plans = new Dictionary<int, Plan> { [participant.Id] = plan };
        var contributors = EraseContributors([contributor]);
        var submissions = EraseSubmitter(participant, plan) ? 1 : 0;
        var answers = await EraseAuthorsAsync(db.Answers.Where(a => a.ParticipantId == participant.Id), plans, cancellationToken);
        var audit = await EraseAuditAsync(db.AuditEntries.Where(a => a.ParticipantId == participant.Id), plans, null, cancellationToken);
        return new ErasureCounts(contributors, answers, submissions, 0, 0, audit);
    }

    /// <summary>The rows of <paramref name="answers"/> whose author is one of the erased names' links, and the count changed.</summary>
    private static async Task<int> EraseAuthorsAsync(IQueryable<Answer> answers, Dictionary<int, Plan> plans, CancellationToken cancellationToken)
    {
        var changed = 0;
        // Only a link's actor names a person (« lien CODE (Marie Dupont) »); operators' answers are not read.
        foreach (var answer in await answers.Where(a => a.UpdatedBy != null && a.UpdatedBy.StartsWith("lien ")).ToListAsync(cancellationToken))
        {
            if (plans.TryGetValue(answer.ParticipantId, out var plan) && plan.Actors.TryGetValue(answer.UpdatedBy!, out var neutral))
            {
                answer.UpdatedBy = neutral;
                changed++;
            }
        }
        return changed;
    }

    /// <summary>
    /// Rewrites the audit entries that name an erased person: their actor (« lien CODE (Marie Dupont) ») and, in an entry
    /// about the collectivité that is not an answer's content, the names and addresses in what it concerns and its values.
    /// </summary>
    private static async Task<int> EraseAuditAsync(
        IQueryable<AuditEntry> entries, Dictionary<int, Plan> plans, Plan? withoutCollectivite, CancellationToken cancellationToken)
    {
        var changed = 0;
        var candidates = entries.Where(a => (a.Actor.StartsWith("lien ") && a.Actor.Contains(" ("))
            || (a.ParticipantId != null && a.Action != "answer" && a.Action != "answer.import")
            || a.Action == "panel.add");
        foreach (var entry in await candidates.ToListAsync(cancellationToken))
        {
            var plan = entry.ParticipantId is { } id ? plans.GetValueOrDefault(id) : withoutCollectivite;
            if (plan is null)
            {
                continue;
            }
            var actor = plan.Actors.GetValueOrDefault(entry.Actor, entry.Actor);
            var (subject, oldValue, newValue) = PersonalData.ConcernsCollectivite(entry) && !PersonalData.IsAnswerContent(entry.Action)
                ? (PersonalData.Scrub(entry.Subject, plan.Names, plan.Addresses), PersonalData.Scrub(entry.OldValue, plan.Names, plan.Addresses),
                    PersonalData.Scrub(entry.NewValue, plan.Names, plan.Addresses))
                : (entry.Subject, entry.OldValue, entry.NewValue);
            if (actor != entry.Actor || subject != entry.Subject || oldValue != entry.OldValue || newValue != entry.NewValue)
            {
                (entry.Actor, entry.Subject, entry.OldValue, entry.NewValue) = (actor, subject, oldValue, newValue);
                changed++;
            }
        }
        return changed;
    }

    private static int EraseContributors(IEnumerable<Contributor> contributors)
    {
        var changed = 0;
        foreach (var contributor in contributors)
        {
            var neutral = PersonalData.NeutralName(contributor.Id);
            if (contributor.Name != neutral || contributor.Email is not null)
            {
                (contributor.Name, contributor.Email) = (neutral, null);
                changed++;
            }
        }
        return changed;
    }

    private static bool EraseSubmitter(Participant participant, Plan plan)
    {
        if (participant.SubmittedBy is { } submitter && plan.Names.TryGetValue(submitter, out var neutral) && neutral != submitter)
        {
            participant.SubmittedBy = neutral;
            return true;
        }
        return false;
    }

    private static bool AnyAddress(string address) => true;

    /// <summary>
    /// What to erase for one collectivité: its people's names, each with its neutral name; their link's actor names, each
    /// with the neutral one; and which e-mail addresses go.
    /// </summary>
    private sealed record Plan(IReadOnlyDictionary<string, string> Names, IReadOnlyDictionary<string, string> Actors, Func<string, bool> Addresses)
    {
        public static Plan Of(Participant participant, IEnumerable<Contributor> contributors)
        {
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            var actors = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var contributor in contributors)
            {
                var neutral = PersonalData.NeutralName(contributor.Id);
                if (contributor.Name != neutral)
                {
                    names[contributor.Name] = neutral;
                    actors[Actor.Link(participant.Code, contributor.Name).Name] = Actor.Link(participant.Code, neutral).Name;
                }
            }
            return new Plan(names, actors, AnyAddress);
        }
    }
}
