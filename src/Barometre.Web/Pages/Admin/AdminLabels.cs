using Barometre.Core.Model;
using Barometre.Data.Campaigns;

namespace Barometre.Web.Pages.Admin;

/// <summary>French labels of the operator pages.</summary>
public static class AdminLabels
{
    /// <summary>The French name of an audited action; the code itself for an unknown one.</summary>
    public static string Action(string action) => action switch
    {
        "campaign.create" => "Création de la campagne",
        "campaign.close" => "Clôture de la collecte",
        "campaign.freeze" => "Résultats figés",
        "campaign.publish" => "Publication des résultats",
        "campaign.unpublish" => "Retrait de la publication",
        "panel.add" => "Collectivité ajoutée au panel",
        "panel.update" => "Collectivité mise à jour",
        "invitation.issue" => "Lien émis",
        "invitation.revoke" => "Lien révoqué",
        "answer" => "Réponse",
        "answer.import" => "Réponse importée",
        "questionnaire.submit" => "Questionnaire transmis",
        "questionnaire.reopen" => "Questionnaire rouvert",
        "contributor.add" => "Contributeur ajouté",
        "contributor.lead" => "Responsable désigné",
        "evidence.review" => "Justificatif examiné",
        "evidence.reply" => "Réponse au doute",
        Data.Privacy.PersonalDataPurge.RetentionAuditAction => "Durée de conservation modifiée",
        Data.Privacy.PersonalDataPurge.AuditAction => "Données personnelles effacées",
        Data.Privacy.ContributorErasure.AuditAction => "Identité effacée par le contributeur",
        _ => action,
    };

    /// <summary>« Non examiné », « Accepté », « Mis en doute ».</summary>
    public static string Review(EvidenceReview review) => review switch
    {
        EvidenceReview.Accepted => "Accepté",
        EvidenceReview.Questioned => "Mis en doute",
        _ => "Non examiné",
    };

    /// <summary>
    /// An identifier that may break only after its dots and hyphens (a line break opportunity after « strategie. »), never inside a word
    /// as a narrow column would otherwise break it (« strategie.strat↵egie »).
    /// </summary>
    public static Microsoft.AspNetCore.Html.IHtmlContent Breakable(string text) =>
        new Microsoft.AspNetCore.Html.HtmlString(string.Join("<wbr>", System.Text.RegularExpressions.Regex.Split(text, @"(?<=[.\-_/])")
            .Select(part => System.Net.WebUtility.HtmlEncode(part))));

    /// <summary>
    /// An audited value as the journal shows it: the review states, which the audit trail stores by
    /// their code (« Accepted note »), in French.
    /// </summary>
    public static string? AuditValue(string action, string? value)
    {
        if (action != "evidence.review" || string.IsNullOrEmpty(value))
        {
            return value;
        }
        foreach (var review in Enum.GetValues<EvidenceReview>())
        {
            var name = review.ToString();
            if (value == name || value.StartsWith(name + " ", StringComparison.Ordinal))
            {
                return Review(review) + value[name.Length..];
            }
        }
        return value;
    }

    /// <summary>An answer as the operator reads it: « 3 — Mise en œuvre engagée », « NSP (ne sait pas) », « — ».</summary>
    public static string Answer(Answer? answer, Scale scale)
    {
        ArgumentNullException.ThrowIfNull(scale);
        if (answer is null)
        {
            return "—";
        }
        if (answer.Level is { } level)
        {
            return level >= 0 && level <= scale.MaxLevel ? $"{level} — {scale.LabelOf(level)}" : $"niveau {level} (hors de l'échelle)";
        }
        return answer.Mark switch
        {
            AnswerMark.DontKnow => "NSP (ne sait pas)",
            AnswerMark.NotConcerned => "NC (non concerné)",
            _ => "—",
        };
    }

    /// <summary>The URL-safe name of a participant status for filters: « non-commence », « en-cours », « transmis ».</summary>
    public static string Slug(ParticipantStatus status) => status switch
    {
        ParticipantStatus.Submitted => "transmis",
        ParticipantStatus.InProgress => "en-cours",
        _ => "non-commence",
    };
}
