namespace Barometre.Data.Privacy;

/// <summary>
/// The processing of personal data as the privacy notice (<c>/donnees-personnelles</c>) and the register entry
/// (<see cref="PrivacyRegister"/>) describe it, from the <c>Barometre:Privacy</c> configuration section or the environment
/// (<c>Barometre__Privacy__Controller</c>…). Every text has a French default that fits a barometer run by a public body;
/// the controller and its contacts are the deployment's to give (docs/privacy.md).
/// </summary>
public sealed class PrivacyOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Barometre:Privacy";

    /// <summary>The processing's name in the register.</summary>
    public string ProcessingName { get; set; } = "Baromètre de la maturité numérique des collectivités";

    /// <summary>The controller (responsable du traitement): the body that runs the barometer; null until the deployment says.</summary>
    public string? Controller { get; set; }

    /// <summary>The controller's postal address.</summary>
    public string? ControllerAddress { get; set; }

    /// <summary>Where people write to exercise their rights (an e-mail address or a form's address).</summary>
    public string? ControllerContact { get; set; }

    /// <summary>The data protection officer (DPO, délégué à la protection des données): a name or a service.</summary>
    public string? DpoName { get; set; }

    /// <summary>How to reach the DPO (an e-mail address).</summary>
    public string? DpoContact { get; set; }

    /// <summary>Why the data are processed (finalités).</summary>
    public string Purpose { get; set; } =
        "Conduire l'étude de la maturité numérique des collectivités : inviter les collectivités du panel et les relancer, recueillir leurs réponses "
        + "au questionnaire en sachant qui a renseigné quoi, suivre la collecte, calculer et publier des résultats agrégés sous secret statistique.";

    /// <summary>The legal basis (base légale).</summary>
    public string LegalBasis { get; set; } = "Mission d'intérêt public (article 6, paragraphe 1, point e du RGPD).";

    /// <summary>Who receives the data (destinataires).</summary>
    public string Recipients { get; set; } =
        "Les opérateurs de la campagne habilités par le responsable du traitement ; chaque collectivité pour ses propres contributeurs. "
        + "Aucune donnée personnelle n'est publiée : les résultats publiés sont agrégés, sous secret statistique.";

    /// <summary>Transfers outside the European Union.</summary>
    public string Transfers { get; set; } = "Aucun transfert de données hors de l'Union européenne.";

    /// <summary>The security measures (mesures de sécurité), as the register lists them.</summary>
    public string SecurityMeasures { get; set; } =
        "Liens d'invitation aléatoires (256 bits) dont seule l'empreinte est conservée ; comptes des opérateurs protégés par mot de passe haché (PBKDF2) "
        + "et verrouillés après des échecs répétés ; chaque modification inscrite au journal ; liens envoyés par courriel chiffrés avec les clés de l'application ; "
        + "données personnelles effacées automatiquement à la fin de leur durée de conservation.";

    /// <summary>When the register entry was created; null for the first campaign's creation.</summary>
    public DateOnly? RegisterCreatedOn { get; set; }

    /// <summary>The controller as the notice names it: the configured one, or a description until the deployment gives it.</summary>
    public string ControllerText => string.IsNullOrWhiteSpace(Controller) ? "l'organisme qui conduit le baromètre" : Controller.Trim();
}
