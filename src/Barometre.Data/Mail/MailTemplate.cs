using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace Barometre.Data.Mail;

/// <summary>What fills a template's placeholders for one collectivité.</summary>
/// <param name="Collectivite">Its name (<c>{collectivite}</c>).</param>
/// <param name="Link">Its questionnaire's link (<c>{lien}</c>).</param>
/// <param name="Deadline">Its deadline, as a French date (<c>{date_limite}</c>).</param>
/// <param name="Organiser">Who organises the barometer (<c>{organisateur}</c>).</param>
/// <param name="Contact">Whom to ask (<c>{contact}</c>).</param>
public sealed record MailFields(string Collectivite, string Link, string Deadline, string Organiser, string Contact);

/// <summary>A message ready to send: subject, plain text and HTML.</summary>
public sealed record RenderedMail(string Subject, string Text, string Html);

/// <summary>
/// A message's template: a subject and a body in plain text and in HTML, with placeholders <c>{collectivite}</c>,
/// <c>{lien}</c>, <c>{date_limite}</c>, <c>{organisateur}</c> and <c>{contact}</c>. In the HTML body each value is
/// HTML-escaped (a collectivité named « Saint-Jean &lt;b&gt; » shows as such); the template's own HTML is the operator's.
/// </summary>
/// <param name="Subject">The subject (one line).</param>
/// <param name="Text">The plain-text body.</param>
/// <param name="Html">The HTML body (a fragment: it is put in a minimal document).</param>
public sealed partial record MailTemplate(string Subject, string Text, string Html)
{
    /// <summary>The longest subject.</summary>
    public const int MaxSubject = 300;

    /// <summary>The longest body, in each format.</summary>
    public const int MaxBody = 20_000;

    /// <summary>The placeholders, as written in a template.</summary>
    public static IReadOnlyList<string> Placeholders { get; } = ["{collectivite}", "{lien}", "{date_limite}", "{organisateur}", "{contact}"];

    private static readonly HtmlEncoder Html5 = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>The message for one collectivité.</summary>
    public RenderedMail Render(MailFields fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        // The subject is one line whatever a name holds (names hold none, but a header must never be split).
        var subject = Fill(Subject, fields, value => value).ReplaceLineEndings(" ");
        var html = $"<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>{Html5.Encode(subject)}</title></head>\n<body>\n{Fill(Html, fields, Html5.Encode)}\n</body></html>\n";
        return new RenderedMail(subject, Fill(Text, fields, value => value), html);
    }

    /// <summary>Why these texts cannot be a template, in French; null when they can. Both bodies must carry <c>{lien}</c>.</summary>
    public static string? Problem(string? subject, string? text, string? html)
    {
        if (string.IsNullOrWhiteSpace(subject) || string.IsNullOrWhiteSpace(text) || string.IsNullOrWhiteSpace(html))
        {
            return "L'objet, le texte brut et le texte HTML sont tous requis.";
        }
        var problem = TextRules.Problem(subject.Trim(), "L'objet", MaxSubject, multiline: false)
            ?? TextRules.Problem(text, "Le texte brut", MaxBody, multiline: true)
            ?? TextRules.Problem(html, "Le texte HTML", MaxBody, multiline: true);
        if (problem is not null)
        {
            return problem;
        }
        foreach (var (part, what) in new[] { (subject, "L'objet"), (text, "Le texte brut"), (html, "Le texte HTML") })
        {
            if (PlaceholderPattern().Matches(part).FirstOrDefault(m => !Placeholders.Contains(m.Value)) is { } unknown)
            {
                return $"{what} contient « {TextRules.Quote(unknown.Value)} », qui n'est pas un champ connu : {string.Join(", ", Placeholders)}.";
            }
        }
        return !text.Contains("{lien}", StringComparison.Ordinal) || !html.Contains("{lien}", StringComparison.Ordinal)
            ? "Le texte brut et le texte HTML doivent contenir le lien du questionnaire : {lien}."
            : null;
    }

    /// <summary>The default French template of a kind of message.</summary>
    public static MailTemplate Default(MailKind kind) => kind == MailKind.Invitation ? DefaultInvitation : DefaultReminder;

    private static string Fill(string template, MailFields fields, Func<string, string> encode)
    {
        var filled = new StringBuilder(template.Length + 200);
        var last = 0;
        foreach (Match match in PlaceholderPattern().Matches(template))
        {
            string? value = match.Value switch
            {
                "{collectivite}" => fields.Collectivite,
                "{lien}" => fields.Link,
                "{date_limite}" => fields.Deadline,
                "{organisateur}" => fields.Organiser,
                "{contact}" => fields.Contact,
                _ => null,
            };
            if (value is not null)
            {
                filled.Append(template, last, match.Index - last).Append(encode(value));
                last = match.Index + match.Length;
            }
        }
        return filled.Append(template, last, template.Length - last).ToString();
    }

    [GeneratedRegex(@"\{[a-z_]+\}")]
    private static partial Regex PlaceholderPattern();

    private static readonly MailTemplate DefaultInvitation = new(
        "Baromètre de la maturité numérique : le questionnaire de {collectivite}",
        """
        Bonjour,

        {organisateur} mène le baromètre de la maturité numérique des collectivités et invite {collectivite} à y répondre.

        Le questionnaire se remplit en ligne, sans compte ni mot de passe, à une ou plusieurs personnes, par ce lien réservé à votre collectivité :

        {lien}

        Chaque réponse est enregistrée aussitôt : vous pouvez vous interrompre et reprendre plus tard avec le même lien. Merci de transmettre le questionnaire avant le {date_limite}.

        Ce lien ouvre le questionnaire de votre collectivité : ne le communiquez qu'aux personnes qui répondent pour elle.

        Pour toute question : {contact}.

        Avec nos remerciements,
        {organisateur}
        """,
        """
        <p>Bonjour,</p>
        <p>{organisateur} mène le baromètre de la maturité numérique des collectivités et invite <strong>{collectivite}</strong> à y répondre.</p>
        <p>Le questionnaire se remplit en ligne, sans compte ni mot de passe, à une ou plusieurs personnes, par ce lien réservé à votre collectivité :</p>
        <p><a href="{lien}">Ouvrir le questionnaire de {collectivite}</a></p>
        <p>Chaque réponse est enregistrée aussitôt : vous pouvez vous interrompre et reprendre plus tard avec le même lien. Merci de transmettre le questionnaire avant le <strong>{date_limite}</strong>.</p>
        <p>Ce lien ouvre le questionnaire de votre collectivité : ne le communiquez qu'aux personnes qui répondent pour elle.</p>
        <p>Pour toute question : {contact}.</p>
        <p>Avec nos remerciements,<br>{organisateur}</p>
        """);

    private static readonly MailTemplate DefaultReminder = new(
        "Rappel : le questionnaire de {collectivite} est attendu avant le {date_limite}",
        """
        Bonjour,

        Le questionnaire du baromètre de la maturité numérique de {collectivite} n'a pas encore été transmis. Il reste ouvert jusqu'au {date_limite}, par le même lien qu'auparavant :

        {lien}

        Les réponses déjà enregistrées sont conservées : il suffit de reprendre où vous en étiez, puis de transmettre le questionnaire.

        Pour toute question : {contact}.

        Avec nos remerciements,
        {organisateur}
        """,
        """
        <p>Bonjour,</p>
        <p>Le questionnaire du baromètre de la maturité numérique de <strong>{collectivite}</strong> n'a pas encore été transmis. Il reste ouvert jusqu'au <strong>{date_limite}</strong>, par le même lien qu'auparavant :</p>
        <p><a href="{lien}">Reprendre le questionnaire de {collectivite}</a></p>
        <p>Les réponses déjà enregistrées sont conservées : il suffit de reprendre où vous en étiez, puis de transmettre le questionnaire.</p>
        <p>Pour toute question : {contact}.</p>
        <p>Avec nos remerciements,<br>{organisateur}</p>
        """);
}
