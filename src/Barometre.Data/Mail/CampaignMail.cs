using Barometre.Core;
using Barometre.Data.Campaigns;
using Barometre.Data.Storage;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Data.Mail;

/// <summary>What the operator sets for a campaign's e-mail (texts as typed; empty template texts mean the default).</summary>
public sealed record MailSettingsInput(
    string? Organiser,
    MailTemplate Invitation,
    MailTemplate Reminder,
    bool AutomaticReminders,
    string? ReminderDays,
    int MaxReminders,
    int MinDaysBetween);

/// <summary>
/// A campaign's e-mail settings: its templates (the default French text until the operator changes one) and its reminder
/// schedule, and what fills a template for a collectivité.
/// </summary>
public sealed class CampaignMail(BarometreDbContext db, TimeProvider clock)
{
    /// <summary>A campaign's settings as stored, or the defaults (not stored).</summary>
    public async Task<CampaignMailSettings> SettingsAsync(int campaignId, CancellationToken cancellationToken = default) =>
        await db.MailSettings.AsNoTracking().SingleOrDefaultAsync(s => s.CampaignId == campaignId, cancellationToken)
        ?? new CampaignMailSettings { CampaignId = campaignId };

    /// <summary>The template of a kind of message: the campaign's, or the default.</summary>
    public static MailTemplate TemplateOf(CampaignMailSettings settings, MailKind kind)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var (subject, text, html) = kind == MailKind.Invitation
            ? (settings.InvitationSubject, settings.InvitationText, settings.InvitationHtml)
            : (settings.ReminderSubject, settings.ReminderText, settings.ReminderHtml);
        return subject is null || text is null || html is null ? MailTemplate.Default(kind) : new MailTemplate(subject, text, html);
    }

    /// <summary>Saves a campaign's settings; returns why they cannot be, in French, or null once saved (and audited).</summary>
    public async Task<string?> SaveAsync(int campaignId, MailSettingsInput input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var problem = TextRules.Problem(input.Organiser?.Trim(), "Le nom de l'organisateur", FieldLimits.Name, multiline: false)
            ?? Problem("L'invitation", input.Invitation) ?? Problem("La relance", input.Reminder)
            ?? ReminderSchedule.Problem(input.ReminderDays, input.MaxReminders, input.MinDaysBetween);
        if (problem is not null)
        {
            return problem;
        }
        var settings = await db.MailSettings.SingleOrDefaultAsync(s => s.CampaignId == campaignId, cancellationToken);
        if (settings is null)
        {
            settings = new CampaignMailSettings { CampaignId = campaignId };
            db.MailSettings.Add(settings);
        }
        settings.Organiser = string.IsNullOrWhiteSpace(input.Organiser) ? null : input.Organiser.Trim();
        (settings.InvitationSubject, settings.InvitationText, settings.InvitationHtml) = Stored(input.Invitation, MailKind.Invitation);
        (settings.ReminderSubject, settings.ReminderText, settings.ReminderHtml) = Stored(input.Reminder, MailKind.Reminder);
        settings.AutomaticReminders = input.AutomaticReminders;
        settings.ReminderDays = new ReminderSchedule(ReminderSchedule.ParseDays(input.ReminderDays)!, 0, 1).DaysText;
        settings.MaxReminders = input.MaxReminders;
        settings.MinDaysBetween = input.MinDaysBetween;
        db.AuditEntries.Add(AuditEntry.Of(clock.GetUtcNow().UtcDateTime, campaignId, null, actor, "mail.settings", null, null,
            input.AutomaticReminders ? $"relances automatiques {settings.ReminderDays} jours avant la date limite, {settings.MaxReminders} au plus" : "relances automatiques désactivées"));
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    /// <summary>Remembers the site's root address for the links of automatic reminders (the one of the operator's last send).</summary>
    internal async Task RememberSiteAsync(int campaignId, Uri siteRoot, CancellationToken cancellationToken)
    {
        var site = siteRoot.ToString().TrimEnd('/');
        var settings = await db.MailSettings.SingleOrDefaultAsync(s => s.CampaignId == campaignId, cancellationToken);
        if (settings is null)
        {
            db.MailSettings.Add(new CampaignMailSettings { CampaignId = campaignId, SiteUrl = site });
        }
        else
        {
            settings.SiteUrl = site;
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>What fills a template for a collectivité of <paramref name="campaign"/>.</summary>
    public static MailFields Fields(Campaign campaign, CampaignMailSettings settings, string collectivite, string link, DateTime deadline)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(settings);
        var contact = new CampaignContact(campaign.ContactName, campaign.ContactEmail).ToString();
        return new MailFields(collectivite, link, ParisTime.Date(deadline),
            settings.Organiser ?? campaign.ContactName ?? "L'équipe du baromètre",
            contact.Length > 0 ? contact : "répondez simplement à ce courriel");
    }

    /// <summary>A message as a collectivité would get it, with an example link, for the operator's preview.</summary>
    public RenderedMail Preview(Campaign campaign, CampaignMailSettings settings, MailTemplate template, string collectivite, Uri siteRoot)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(template);
        var link = InvitationLinksCsv.Link(siteRoot, new string('x', InvitationTokens.Length));
        var deadline = EditRule.Deadline(campaign.Status, campaign.ReviewEndsAt, clock.GetUtcNow().UtcDateTime.AddDays(campaign.InvitationDays));
        return template.Render(Fields(campaign, settings, collectivite, link, deadline));
    }

    private static string? Problem(string what, MailTemplate template) =>
        IsDefault(template) ? null : MailTemplate.Problem(template.Subject, template.Text, template.Html) is { } problem ? $"{what} : {problem}" : null;

    /// <summary>Empty texts, or the default's very texts, are stored as null: the campaign then follows the default.</summary>
    private static (string?, string?, string?) Stored(MailTemplate template, MailKind kind)
    {
        if (IsDefault(template))
        {
            return (null, null, null);
        }
        // Browsers post line breaks as CR LF.
        var typed = new MailTemplate(template.Subject.Trim(), template.Text.ReplaceLineEndings("\n"), template.Html.ReplaceLineEndings("\n"));
        return typed == MailTemplate.Default(kind) ? (null, null, null) : (typed.Subject, typed.Text, typed.Html);
    }

    private static bool IsDefault(MailTemplate template) =>
        string.IsNullOrWhiteSpace(template.Subject) && string.IsNullOrWhiteSpace(template.Text) && string.IsNullOrWhiteSpace(template.Html);
}
