using System.Text;
using Barometre.Core;
using Barometre.Core.Model;
using Barometre.Core.Results;
using Barometre.Data.Import;
using Barometre.Data.Storage;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Data.Campaigns;

/// <summary>The result of closing collection or freezing the results.</summary>
public abstract record CloseOutcome
{
    /// <summary>The answers are frozen and the results of the <paramref name="Respondents"/> submitted questionnaires computed: the campaign is closed.</summary>
    public sealed record Frozen(int Respondents) : CloseOutcome;

    /// <summary>Collection is closed; the collectivités may still correct their answers until <paramref name="EndsAt"/> (UTC).</summary>
    public sealed record InReview(DateTime EndsAt) : CloseOutcome;

    /// <summary>Nothing changed; why, in French.</summary>
    public sealed record Refused(string Reason) : CloseOutcome;
}

/// <summary>The result of publishing a campaign's results.</summary>
public abstract record PublishOutcome
{
    /// <summary>Public, as publication <paramref name="Version"/> under the secrecy threshold <paramref name="Threshold"/>.</summary>
    public sealed record Published(int Version, int Threshold) : PublishOutcome;

    /// <summary>Nothing changed; why, in French.</summary>
    public sealed record Refused(string Reason) : PublishOutcome;
}

/// <summary>
/// A campaign's life, on the operators' side: created from a model and a panel, its panel completed, collection
/// closed (at once, or after a review window), its results frozen, published and withdrawn. Every change is audited.
/// </summary>
public sealed class CampaignLifecycle(BarometreDbContext db, CampaignQueries queries, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Why a campaign cannot have this name, in French; null when it can.</summary>
    public static string? NameProblem(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "Donnez un nom à la campagne (par exemple « Baromètre 2026 »)."
        : TextRules.Problem(name.Trim(), "Le nom de la campagne", FieldLimits.Name, multiline: false);

    /// <summary>
    /// Why a new campaign on <paramref name="modelText"/> cannot follow the campaign <paramref name="previousCampaignId"/>,
    /// in French (the lineage's problems with their line in the model file); null when it can: the earlier campaign
    /// exists and is closed (its results frozen), and the model is its model or declares that it follows it
    /// (<c>follows:</c>, docs/model-format.md).
    /// </summary>
    /// <param name="previousCampaignId">The earlier edition's campaign.</param>
    /// <param name="modelText">The new campaign's model file's text and its name for the problems.</param>
    /// <param name="cancellationToken">Cancels.</param>
    public async Task<string?> FollowProblemAsync(int previousCampaignId, ModelText modelText, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelText);
        var previous = await db.Campaigns.AsNoTracking()
            .Where(c => c.Id == previousCampaignId)
            .Select(c => new { c.Name, c.Status, c.ModelSource })
            .SingleOrDefaultAsync(cancellationToken);
        if (previous is null)
        {
            return $"La campagne n°\u00a0{previousCampaignId} n'existe pas : une campagne ne peut suivre qu'une campagne existante et close.";
        }
        if (previous.Status != CampaignStatus.Closed)
        {
            return $"La campagne « {previous.Name} » n'est pas close : une nouvelle édition ne peut suivre qu'une campagne dont les résultats sont figés.";
        }
        var mapping = ModelLineageCheck.Validate(CampaignModels.Parse(previous.ModelSource), modelText);
        return mapping.Value is not null
            ? null
            : $"Le référentiel ne peut pas suivre celui de la campagne « {previous.Name} » : {string.Join(" ; ", mapping.Problems.Select(p => p.ToString()))}";
    }

    /// <summary>Creates a campaign with its panel; the model text is stored with it.</summary>
    /// <param name="name">The campaign's name (checked first with <see cref="NameProblem"/>).</param>
    /// <param name="modelText">The model file's text (already validated into <paramref name="model"/>).</param>
    /// <param name="model">The parsed model.</param>
    /// <param name="panel">The panel (codes unique).</param>
    /// <param name="actor">Who creates it.</param>
    /// <param name="previousCampaignId">
    /// The earlier edition it follows (checked with <see cref="FollowProblemAsync"/>), or null for a first edition.
    /// </param>
    /// <param name="contact">Whom the collectivités ask about the campaign (made with <see cref="CampaignContact.Of"/>), or null.</param>
    /// <param name="retentionMonths">
    /// Months after closing that its personal data are kept (<see cref="Privacy.PersonalData.RetentionProblem"/>); null for
    /// <see cref="Privacy.PersonalData.DefaultRetentionMonths"/>.
    /// </param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <exception cref="ArgumentException">The name or the retention period is invalid, or the campaign cannot follow the earlier one (the French reason).</exception>
    public async Task<Campaign> CreateAsync(
        string name, string modelText, MaturityModel model, IReadOnlyList<PanelEntry> panel, Actor actor, int? previousCampaignId = null, CampaignContact? contact = null,
        int? retentionMonths = null, CancellationToken cancellationToken = default)
    {
        if (NameProblem(name) is { } problem)
        {
            throw new ArgumentException(problem, nameof(name));
        }
        if (Privacy.PersonalData.RetentionProblem(retentionMonths) is { } retentionProblem)
        {
            throw new ArgumentException(retentionProblem, nameof(retentionMonths));
        }
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(actor);
        if (previousCampaignId is { } previous && await FollowProblemAsync(previous, new ModelText(modelText, model.Id), cancellationToken) is { } followProblem)
        {
            throw new ArgumentException(followProblem, nameof(previousCampaignId));
        }
        var now = Now;
        var campaign = new Campaign
        {
            Name = name.Trim(),
            ModelId = model.Id,
            ModelSource = modelText,
            Status = CampaignStatus.Open,
            CreatedAt = now,
            PreviousCampaignId = previousCampaignId,
            ContactName = contact?.Name,
            ContactEmail = contact?.Email,
            RetentionMonths = retentionMonths ?? Privacy.PersonalData.DefaultRetentionMonths,
        };
        campaign.Participants.AddRange(panel.Select(entry => NewParticipant(entry)));
        db.Campaigns.Add(campaign);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        var details = $"référentiel {model.Id}, {panel.Count} collectivités" + (previousCampaignId is { } followed ? $", suit la campagne n°\u00a0{followed}" : "")
            + (contact is null ? "" : $", contact {contact}");
        db.AuditEntries.Add(AuditEntry.Of(now, campaign.Id, null, actor, "campaign.create", campaign.Name, null, details));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return campaign;
    }

    /// <summary>Adds collectivités to a campaign's panel and updates those already in it (matched by code).</summary>
    /// <returns>How many were added and updated.</returns>
    public async Task<(int Added, int Updated)> ImportPanelAsync(int campaignId, IReadOnlyList<PanelEntry> panel, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(actor);
        var existing = await db.Participants.Where(p => p.CampaignId == campaignId).ToDictionaryAsync(p => p.Code, StringComparer.Ordinal, cancellationToken);
        int added = 0, updated = 0;
        foreach (var entry in panel)
        {
            if (existing.TryGetValue(entry.Respondent.Code, out var participant))
            {
                var before = Describe(participant);
                participant.Name = entry.Respondent.Name;
                participant.Type = entry.Respondent.Type;
                participant.Population = entry.Respondent.Population;
                participant.Region = entry.Respondent.Region;
                participant.Email = entry.Email;
                if (before != Describe(participant))
                {
                    updated++;
                    Audit(campaignId, participant.Id, actor, "panel.update", participant.Code, before, Describe(participant));
                }
            }
            else
            {
                var newcomer = NewParticipant(entry);
                newcomer.CampaignId = campaignId;
                db.Participants.Add(newcomer);
                added++;
                Audit(campaignId, null, actor, "panel.add", entry.Respondent.Code, null, $"{entry.Respondent.Name} {entry.Email}".Trim());
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        return (added, updated);
    }

    /// <summary>
    /// Closes collection. With <paramref name="reviewEndsAt"/> the collectivités may still see and correct
    /// their answers until then, and the results are frozen afterwards (<see cref="FreezeAsync"/>);
    /// without it, the results are frozen at once.
    /// </summary>
    public async Task<CloseOutcome> CloseAsync(int campaignId, DateTime? reviewEndsAt, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var campaign = await db.Campaigns.SingleAsync(c => c.Id == campaignId, cancellationToken);
        if (campaign.Status != CampaignStatus.Open)
        {
            return new CloseOutcome.Refused(campaign.Status == CampaignStatus.Review
                ? "La collecte est déjà close ; la relecture est en cours (figez les résultats pour clore la campagne)."
                : "La campagne est déjà close.");
        }
        var now = Now;
        if (reviewEndsAt is { } end)
        {
            if (end <= now)
            {
                return new CloseOutcome.Refused("La fin de la relecture doit être dans le futur.");
            }
            campaign.Status = CampaignStatus.Review;
            campaign.ClosedAt = now;
            campaign.ReviewEndsAt = end;
            Audit(campaignId, null, actor, "campaign.close", campaign.Name, "ouverte", $"relecture jusqu'au {ParisTime.DateAndTime(end)} (heure de Paris)");
            await db.SaveChangesAsync(cancellationToken);
            return new CloseOutcome.InReview(end);
        }
        return await FreezeAsync(campaignId, actor, cancellationToken);
    }

    /// <summary>
    /// Freezes the answers and computes the results of the submitted questionnaires with the core,
    /// stored once as an immutable snapshot (results JSON and the answers they come from).
    /// </summary>
    /// <returns><see cref="CloseOutcome.Frozen"/>, or <see cref="CloseOutcome.Refused"/> with nothing changed.</returns>
    public async Task<CloseOutcome> FreezeAsync(int campaignId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = Now;
        // The status changes first, in the transaction that then reads the answers: on PostgreSQL the
        // UPDATE waits for saves in flight (they hold the campaign row FOR SHARE) and every later save
        // sees the campaign closed; on SQLite writers are serialised anyway. No answer can land after
        // the snapshot is read.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var campaign = await db.Campaigns.SingleAsync(c => c.Id == campaignId, cancellationToken);
        if (campaign.Status == CampaignStatus.Closed)
        {
            return new CloseOutcome.Refused("La campagne est déjà close : ses résultats sont figés.");
        }
        var previous = campaign.Status;
        campaign.Status = CampaignStatus.Closed;
        campaign.ClosedAt ??= now;
        campaign.FrozenAt = now;
        await db.SaveChangesAsync(cancellationToken);
        var responses = await queries.ResponsesAsync(campaignId, submittedOnly: true, cancellationToken);
        if (responses.Count == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return new CloseOutcome.Refused("Aucun questionnaire n'a été transmis : il n'y a rien à calculer.");
        }
        var results = Barometer.Compute(responses);
        using var csv = new MemoryStream();
        ResponsesCsv.Write(responses, csv);
        db.ResultsSnapshots.Add(new ResultsSnapshot
        {
            CampaignId = campaignId, ComputedAt = now, ResultsJson = ResultsJson.Serialize(results), ResponsesCsv = Encoding.UTF8.GetString(csv.ToArray()),
        });
        Audit(campaignId, null, actor, "campaign.freeze", campaign.Name, previous == CampaignStatus.Review ? "relecture" : "ouverte",
            $"close ; résultats de {responses.Count} collectivités");
        await db.SaveChangesAsync(cancellationToken);
        // Benchmarks now read the frozen results: the interim releases' copies of the answers serve nobody any more.
        await db.BenchmarkReleases.Where(r => r.CampaignId == campaignId && r.ResponsesCsv != "")
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.ResponsesCsv, ""), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CloseOutcome.Frozen(responses.Count);
    }

    /// <summary>
    /// Publishes the results of a closed campaign (public dashboard and API), or publishes them again
    /// after a change of threshold: every publication gets a new version, which drops cached figures.
    /// </summary>
    /// <param name="campaignId">The campaign.</param>
    /// <param name="threshold">The secrecy threshold N to publish with; the campaign's when null.</param>
    /// <param name="actor">Who publishes.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    public async Task<PublishOutcome> PublishAsync(int campaignId, int? threshold, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (threshold is < 1 or > 1000)
        {
            return new PublishOutcome.Refused("Le seuil du secret statistique doit être compris entre 1 et 1 000 collectivités.");
        }
        var campaign = await db.Campaigns.SingleAsync(c => c.Id == campaignId, cancellationToken);
        if (campaign.Status != CampaignStatus.Closed)
        {
            return new PublishOutcome.Refused("Seule une campagne close (résultats figés) peut être publiée.");
        }
        var before = campaign.PublishedAt is null ? "non publiée" : $"publiée (version {campaign.PublicationVersion}, seuil {campaign.SecrecyThreshold})";
        campaign.SecrecyThreshold = threshold ?? campaign.SecrecyThreshold;
        campaign.PublishedAt = Now;
        campaign.PublicationVersion++;
        Audit(campaignId, null, actor, "campaign.publish", campaign.Name, before, $"publiée (version {campaign.PublicationVersion}, seuil {campaign.SecrecyThreshold})");
        await db.SaveChangesAsync(cancellationToken);
        return new PublishOutcome.Published(campaign.PublicationVersion, campaign.SecrecyThreshold);
    }

    /// <summary>Withdraws the public results; false when they were not public.</summary>
    public async Task<bool> UnpublishAsync(int campaignId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var campaign = await db.Campaigns.SingleAsync(c => c.Id == campaignId, cancellationToken);
        if (campaign.PublishedAt is null)
        {
            return false;
        }
        campaign.PublishedAt = null;
        campaign.PublicationVersion++;
        Audit(campaignId, null, actor, "campaign.unpublish", campaign.Name, "publiée", "non publiée");
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private void Audit(int campaignId, int? participantId, Actor actor, string action, string? subject, string? oldValue, string? newValue) =>
        db.AuditEntries.Add(AuditEntry.Of(Now, campaignId, participantId, actor, action, subject, oldValue, newValue));

    private static Participant NewParticipant(PanelEntry entry) => new()
    {
        Code = entry.Respondent.Code, Name = entry.Respondent.Name, Type = entry.Respondent.Type,
        Population = entry.Respondent.Population, Region = entry.Respondent.Region, Email = entry.Email,
    };

    private static string Describe(Participant p) => $"{p.Name} | {p.Type} | {p.Population} | {p.Region} | {p.Email}";
}
