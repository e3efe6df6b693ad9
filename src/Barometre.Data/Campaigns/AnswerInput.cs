using Barometre.Core.Model;

namespace Barometre.Data.Campaigns;

/// <summary>
/// What a respondent sends for one question: a level, or NSP / NC, or nothing; a comment; evidence.
/// </summary>
/// <param name="Level">The level, or null.</param>
/// <param name="Status">« NSP », « NC » (any case), or null.</param>
/// <param name="Comment">An optional comment.</param>
/// <param name="EvidenceUrl">An optional link (http or https) to a supporting document.</param>
/// <param name="EvidenceText">An optional short justification.</param>
public sealed record AnswerInput(int? Level, string? Status, string? Comment, string? EvidenceUrl = null, string? EvidenceText = null)
{
    /// <summary>Checks the input against a scale; returns the problems by field (French messages), empty when valid.</summary>
    public IReadOnlyDictionary<string, string> Validate(Scale scale)
    {
        ArgumentNullException.ThrowIfNull(scale);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Level is { } level && (level < 0 || level > scale.MaxLevel))
        {
            errors["level"] = $"Le niveau doit être compris entre 0 et {scale.MaxLevel}, pas {level}.";
        }
        if (Status is not null && Mark is null)
        {
            errors["status"] = $"Statut « {TextRules.Quote(Status)} » inconnu : « NSP » (ne sait pas), « NC » (non concerné) ou rien.";
        }
        if (Level is not null && Mark is not null and not AnswerMark.None)
        {
            errors["status"] = "Une réponse est soit un niveau, soit « NSP » ou « NC », pas les deux.";
        }
        // The texts as they are stored (trimmed): a comment is multi-line, a link is not.
        if (TextRules.Problem(Comment?.Trim(), "Le commentaire", FieldLimits.AnswerText, multiline: true) is { } comment)
        {
            errors["comment"] = comment;
        }
        if (TextRules.Problem(EvidenceText?.Trim(), "La justification", FieldLimits.AnswerText, multiline: true) is { } text)
        {
            errors["evidenceText"] = text;
        }
        if (!string.IsNullOrWhiteSpace(EvidenceUrl))
        {
            var url = EvidenceUrl.Trim();
            if (TextRules.Problem(url, "Le lien de justification", FieldLimits.Url, multiline: false) is { } problem)
            {
                errors["evidenceUrl"] = problem;
            }
            else if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                errors["evidenceUrl"] = "Le lien de justification doit être une adresse web complète (https://…).";
            }
        }
        return errors;
    }

    /// <summary>The mark the status names (None without status), or null for an unknown status.</summary>
    public AnswerMark? Mark => AnswerMarks.Parse(Status);
}
