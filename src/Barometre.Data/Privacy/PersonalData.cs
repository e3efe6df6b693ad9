using System.Globalization;
using System.Text.RegularExpressions;
using Barometre.Data.Campaigns;

namespace Barometre.Data.Privacy;

/// <summary>
/// What Baromètre keeps about people, in one place: which fields hold personal data, how long they are kept, and how
/// each is erased. The retention purge (<see cref="PersonalDataPurge"/>), a contributor's own erasure
/// (<see cref="ContributorErasure"/>), the register entry (<see cref="PrivacyRegister"/>) and the privacy notice all read
/// it. Personal data are: a contributor's name and e-mail (<see cref="Contributor"/>), the name on the answers they
/// changed last (<see cref="Answer.UpdatedBy"/>) and on the submission (<see cref="Participant.SubmittedBy"/>), a
/// collectivité's contact address (<see cref="Participant.Email"/>) and the addresses its messages went to
/// (<see cref="Mail.OutboxMessage"/>), and these names and addresses where the audit trail repeats them. Answers
/// themselves (levels, comments, evidence), the results and the published figures are the study's and stay; operators'
/// addresses in the audit trail stay too (who acted on the campaign is the organiser's accountability).
/// </summary>
public static partial class PersonalData
{
    /// <summary>Months after a campaign is closed that its personal data are kept, unless the operator chooses otherwise.</summary>
    public const int DefaultRetentionMonths = 24;

    /// <summary>The longest retention period an operator may choose (ten years).</summary>
    public const int MaxRetentionMonths = 120;

    /// <summary>What replaces an erased address where a text must remain (a message's recipient, the audit trail).</summary>
    public const string ErasedAddress = "adresse effacée";

    private const string NeutralPrefix = "contributeur effacé n°\u00a0";

    /// <summary>Whose data are kept, as the notice and the register list them.</summary>
    public static IReadOnlyList<string> People { get; } =
    [
        "les personnes qui répondent au questionnaire pour une collectivité (contributeurs)",
        "les personnes dont l'adresse électronique est le contact d'une collectivité du panel",
        "les opérateurs des campagnes",
    ];

    /// <summary>What is kept about them, as the notice and the register list it: each item is a field this class erases, or says why it stays.</summary>
    public static IReadOnlyList<string> Categories { get; } =
    [
        "le nom et, s'ils la donnent, l'adresse électronique des contributeurs ; le nom de celui ou celle qui a modifié chaque réponse en dernier et de celui ou celle qui a transmis le questionnaire",
        "l'adresse électronique de contact de chaque collectivité et celle à laquelle chaque courriel (invitation, relance) est parti",
        "le journal des modifications de chaque campagne : qui (contributeur ou opérateur), quand, ancienne et nouvelle valeur ; aucune adresse IP n'y est conservée",
        "l'adresse électronique des opérateurs, pour leur compte et le journal",
    ];

    /// <summary>Why a campaign cannot keep personal data for <paramref name="months"/> months, in French; null when it can (null: the default).</summary>
    public static string? RetentionProblem(int? months) =>
        months is null or (>= 1 and <= MaxRetentionMonths) ? null
        : $"La durée de conservation des données personnelles doit être comprise entre 1 et {MaxRetentionMonths.ToString(CultureInfo.InvariantCulture)} mois, pas {months.Value.ToString(CultureInfo.InvariantCulture)}.";

    /// <summary>When a campaign's personal data are due for erasure (UTC): its retention period after its results were frozen; null while it is not closed.</summary>
    public static DateTime? ErasureDueAt(Campaign campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return ErasureDueAt(campaign.FrozenAt, campaign.RetentionMonths);
    }

    /// <summary>The due date of <see cref="ErasureDueAt(Campaign)"/> from its two facts.</summary>
    public static DateTime? ErasureDueAt(DateTime? frozenAt, int retentionMonths) => frozenAt?.AddMonths(retentionMonths);

    /// <summary>« 24 mois après la clôture de la campagne »: a retention period as the pages and the register say it.</summary>
    public static string RetentionText(int months) => $"{months.ToString(CultureInfo.InvariantCulture)} mois après la clôture de la campagne";

    /// <summary>The name an erased contributor goes by (« contributeur effacé n° 12 »): unique in the collectivité, as names must be, and naming nobody.</summary>
    public static string NeutralName(int contributorId) => NeutralPrefix + contributorId.ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether a name is one <see cref="NeutralName"/> gives (a contributor may not take one: it would collide with an erasure).</summary>
    public static bool IsNeutralName(string? name) =>
        name is not null && name.Trim().StartsWith(NeutralPrefix.TrimEnd('\u00a0'), StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The audit actions whose old and new values are an answer's content (level, comment, evidence): the study's data,
    /// kept as they are; only their actor is erased.
    /// </summary>
    internal static bool IsAnswerContent(string action) => action is "answer" or "answer.import";

    /// <summary>
    /// Whether an audit entry concerns a collectivité, so that its values may hold its people's names and addresses: those
    /// with its id, and « panel.add », written before the collectivité had one.
    /// </summary>
    internal static bool ConcernsCollectivite(AuditEntry entry) => entry.ParticipantId is not null || entry.Action == "panel.add";

    /// <summary>
    /// <paramref name="text"/> with each of <paramref name="names"/> (whole words only: « Marie » is not erased from
    /// « Mariette ») replaced by its neutral name and, with <paramref name="addresses"/>, each e-mail address by
    /// <see cref="ErasedAddress"/>; null stays null.
    /// </summary>
    internal static string? Scrub(string? text, IReadOnlyDictionary<string, string> names, Func<string, bool> addresses)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }
        foreach (var (name, neutral) in names)
        {
            if (name != neutral && text.Contains(name, StringComparison.Ordinal))
            {
                text = Regex.Replace(text, $@"(?<![\p{{L}}\p{{N}}]){Regex.Escape(name)}(?![\p{{L}}\p{{N}}])", neutral.Replace("$", "$$", StringComparison.Ordinal),
                    RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
        }
        return EmailAddress().Replace(text, match => addresses(match.Value) ? ErasedAddress : match.Value);
    }

    /// <summary>An e-mail address as people and mail servers write them (« marie.dupont@exemple.fr », in « &lt;…&gt; » or not).</summary>
    [GeneratedRegex(@"[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex EmailAddress();
}

/// <summary>What an erasure changed, per kind of record; never the erased values.</summary>
/// <param name="Contributors">Contributors whose name (and e-mail) were replaced by a neutral name.</param>
/// <param name="Answers">Answers whose author was erased.</param>
/// <param name="Submissions">Submissions whose author was erased.</param>
/// <param name="CollectiviteAddresses">Collectivités whose contact address was erased.</param>
/// <param name="Messages">Messages of the outbox whose recipient address was erased.</param>
/// <param name="AuditEntries">Entries of the audit trail whose names or addresses were erased.</param>
public sealed record ErasureCounts(int Contributors, int Answers, int Submissions, int CollectiviteAddresses, int Messages, int AuditEntries)
{
    /// <summary>Nothing erased.</summary>
    public static ErasureCounts None { get; } = new(0, 0, 0, 0, 0, 0);

    /// <summary>How many records changed in all.</summary>
    public int Total => Contributors + Answers + Submissions + CollectiviteAddresses + Messages + AuditEntries;

    /// <summary>Each kind with its count and its French label, in order (what the CLI prints, one line each).</summary>
    public IReadOnlyList<(string Label, int Count)> Kinds =>
    [
        ("contributeurs (nom et adresse)", Contributors),
        ("réponses (auteur)", Answers),
        ("transmissions (auteur)", Submissions),
        ("adresses des collectivités", CollectiviteAddresses),
        ("courriels (destinataire)", Messages),
        ("entrées du journal", AuditEntries),
    ];

    /// <summary>« 2 contributeurs (nom et adresse), 5 réponses (auteur), … »: the counts as the audit trail records them.</summary>
    public override string ToString() =>
        string.Join(", ", Kinds.Select(kind => $"{kind.Count.ToString(CultureInfo.InvariantCulture)} {kind.Label}"));
}
