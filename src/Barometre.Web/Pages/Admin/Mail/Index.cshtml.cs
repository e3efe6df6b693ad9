using Barometre.Core;
using Barometre.Data.Campaigns;
using Barometre.Data.Mail;
using Microsoft.AspNetCore.Mvc;

namespace Barometre.Web.Pages.Admin.Mail;

/// <summary>
/// A campaign's e-mail: send the invitations or a reminder (the count shown before the operator confirms; the server's
/// mail round sends what is queued), the templates with a preview, and the automatic reminders' schedule.
/// </summary>
[Security.OperatorAccess(OperatorRight.RunCampaign)]
public sealed class MailModel(CampaignQueries queries, CampaignMail mail, MailOutbox outbox, WebOptions options) : CampaignPage(queries)
{
    /// <summary>The texts and the schedule as the operator types them (the settings' shape; only those fields are read back).</summary>
    [BindProperty]
    public CampaignMailSettings Form { get; set; } = new();

    /// <summary>Whom a reminder goes to: « non-transmis » (default), « non-commence », « en-cours ».</summary>
    [FromQuery(Name = "relance")]
    public string? ReminderAudience { get; set; }

    /// <summary>The count the operator saw and confirms.</summary>
    [BindProperty]
    public int Expected { get; set; }

    public MailPlan InvitationPlan { get; private set; } = new(null, []);

    public MailPlan ReminderPlan { get; private set; } = new(null, []);

    public int Queued { get; private set; }

    public bool SmtpConfigured => options.Smtp.IsConfigured && options.Smtp.Problem() is null;

    public SmtpOptions Smtp => options.Smtp;

    public RenderedMail? InvitationPreview { get; private set; }

    public RenderedMail? ReminderPreview { get; private set; }

    public string? Error { get; private set; }

    public static IReadOnlyList<(string Slug, string Label)> Audiences { get; } =
        [("non-transmis", "n'ayant pas transmis"), ("non-commence", "non commencées"), ("en-cours", "en cours")];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }
        Fill(await mail.SettingsAsync(CampaignId, cancellationToken));
        return Page();
    }

    /// <summary>Saves the templates and the schedule.</summary>
    public async Task<IActionResult> OnPostSettingsAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }
        Error = await mail.SaveAsync(CampaignId, Input, Operator, cancellationToken);
        if (Error is not null)
        {
            return Page();
        }
        Flash("Les modèles et les relances automatiques sont enregistrés.");
        return Redirect($"{CampaignPath}/courriels");
    }

    /// <summary>The typed templates as a collectivité would get them, nothing saved.</summary>
    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }
        var settings = await mail.SettingsAsync(CampaignId, cancellationToken);
        settings.Organiser = string.IsNullOrWhiteSpace(Form.Organiser) ? null : Form.Organiser.Trim();
        Error = MailTemplate.Problem(Form.InvitationSubject, Form.InvitationText, Form.InvitationHtml) is { } invitation ? $"L'invitation : {invitation}"
            : MailTemplate.Problem(Form.ReminderSubject, Form.ReminderText, Form.ReminderHtml) is { } reminder ? $"La relance : {reminder}" : null;
        if (Error is null)
        {
            var example = InvitationPlan.Items.Count > 0 ? InvitationPlan.Items[0].Name : "Commune d'exemple";
            InvitationPreview = mail.Preview(Campaign, settings, Typed(MailKind.Invitation), example, SiteRoot);
            ReminderPreview = mail.Preview(Campaign, settings, Typed(MailKind.Reminder), example, SiteRoot);
        }
        return Page();
    }

    /// <summary>Queues the invitations counted on the page.</summary>
    public Task<IActionResult> OnPostInvitationsAsync(CancellationToken cancellationToken) =>
        QueueAsync(new MailRequest(MailKind.Invitation, MailAudience.All), "invitation", cancellationToken);

    /// <summary>Queues the reminders counted on the page.</summary>
    public Task<IActionResult> OnPostRemindersAsync(CancellationToken cancellationToken) =>
        QueueAsync(new MailRequest(MailKind.Reminder, AudienceOf(ReminderAudience)), "relance", cancellationToken);

    private async Task<IActionResult> QueueAsync(MailRequest request, string what, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }
        Fill(await mail.SettingsAsync(CampaignId, cancellationToken));
        if (!SmtpConfigured)
        {
            Error = "Aucun serveur de messagerie n'est configuré : rien ne peut partir (README, « E-mail »).";
            return Page();
        }
        var counted = (request.Kind == MailKind.Invitation ? InvitationPlan : ReminderPlan).ToSend.Count;
        if (counted != Expected)
        {
            Error = $"Le nombre de courriels a changé depuis l'affichage de la page ({FrenchFormat.Count(counted)} au lieu de {FrenchFormat.Count(Expected)}) : vérifiez-le, puis confirmez à nouveau.";
            return Page();
        }
        var plan = await outbox.QueueAsync(CampaignId, request, SiteRoot, Operator, cancellationToken);
        if (plan.Refusal is not null)
        {
            Error = plan.Refusal;
            return Page();
        }
        var count = plan.ToSend.Count;
        Flash(count == 0 ? "Aucun courriel à envoyer."
            : $"{FrenchFormat.Plural(count, what + " mise", what + "s mises")} en file d'attente : le serveur les envoie"
                + (options.Smtp.MessagesPerMinute > 0 ? $" au rythme de {FrenchFormat.Count(options.Smtp.MessagesPerMinute)} par minute" : "")
                + " ; l'état de chacune s'affiche dans le suivi.");
        return Redirect($"{CampaignPath}/courriels");
    }

    private MailSettingsInput Input =>
        new(Form.Organiser, Typed(MailKind.Invitation), Typed(MailKind.Reminder), Form.AutomaticReminders, Form.ReminderDays, Form.MaxReminders, Form.MinDaysBetween);

    /// <summary>A template as typed (empty texts stay empty).</summary>
    private MailTemplate Typed(MailKind kind) => kind == MailKind.Invitation
        ? new(Form.InvitationSubject ?? "", Form.InvitationText ?? "", Form.InvitationHtml ?? "")
        : new(Form.ReminderSubject ?? "", Form.ReminderText ?? "", Form.ReminderHtml ?? "");

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (!await LoadCampaignAsync(cancellationToken))
        {
            return false;
        }
        ViewData["Tab"] = "courriels";
        ReminderAudience = Audiences.Any(a => a.Slug == ReminderAudience) ? ReminderAudience : "non-transmis";
        InvitationPlan = await outbox.PlanAsync(CampaignId, new MailRequest(MailKind.Invitation, MailAudience.All), cancellationToken);
        ReminderPlan = await outbox.PlanAsync(CampaignId, new MailRequest(MailKind.Reminder, AudienceOf(ReminderAudience)), cancellationToken);
        Queued = await outbox.QueuedCountAsync(CampaignId, cancellationToken);
        return true;
    }

    /// <summary>The form as stored: the campaign's templates, or the default texts.</summary>
    private void Fill(CampaignMailSettings settings)
    {
        var invitation = CampaignMail.TemplateOf(settings, MailKind.Invitation);
        var reminder = CampaignMail.TemplateOf(settings, MailKind.Reminder);
        Form = new CampaignMailSettings
        {
            CampaignId = CampaignId,
            Organiser = settings.Organiser,
            InvitationSubject = invitation.Subject, InvitationText = invitation.Text, InvitationHtml = invitation.Html,
            ReminderSubject = reminder.Subject, ReminderText = reminder.Text, ReminderHtml = reminder.Html,
            AutomaticReminders = settings.AutomaticReminders, ReminderDays = settings.ReminderDays.Replace(",", ", ", StringComparison.Ordinal),
            MaxReminders = settings.MaxReminders, MinDaysBetween = settings.MinDaysBetween,
        };
    }

    private static MailAudience AudienceOf(string? slug) => slug switch
    {
        "non-commence" => MailAudience.NotStarted,
        "en-cours" => MailAudience.InProgress,
        _ => MailAudience.NotSubmitted,
    };
}
