using System.Globalization;
using Barometre.Core;
using Barometre.Data.Campaigns;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Barometre.Web.Pages.Questionnaire;

/// <summary>
/// What every page reached through an invitation link shares: the link opens one collectivité's
/// questionnaire and nothing else; an unknown, revoked or expired link gets the same 404 page.
/// </summary>
public abstract class QuestionnairePage(Data.Campaigns.Questionnaire questionnaire) : PageModel
{
    protected Data.Campaigns.Questionnaire Questionnaire { get; } = questionnaire;

    [FromRoute]
    public string Token { get; set; } = "";

    public QuestionnaireAccess Access { get; private set; } = null!;

    public IReadOnlyDictionary<string, AnswerState> Answers { get; private set; } = new Dictionary<string, AnswerState>();

    public IReadOnlyList<Contributor> Contributors { get; private set; } = [];

    /// <summary>The operators' doubts about the answers' evidence (awaiting a reply, replied or lifted), by question id.</summary>
    public IReadOnlyDictionary<string, EvidenceDoubt> Doubts { get; private set; } = new Dictionary<string, EvidenceDoubt>();

    /// <summary>The person answering (proved by their cookie), or null until they give their name.</summary>
    public Contributor? Contributor { get; private set; }

    /// <summary>The credential of <see cref="Contributor"/> (their cookie's value), or null.</summary>
    protected string? ContributorCredential { get; private set; }

    /// <summary>The lead, who submits; null until one is known.</summary>
    public Contributor? Lead => Contributors.FirstOrDefault(c => c.Id == Access.LeadContributorId);

    /// <summary>The link's own address (the pages link to each other with it).</summary>
    public string Home => $"/q/{Token}";

    /// <summary>
    /// The cookie holding the credential of the person answering for a collectivité on this browser. The questionnaire API
    /// reads it too, so that the page's script never handles the credential (the cookie is HttpOnly).
    /// </summary>
    public static string ContributorCookie(int participantId) => $"barometre.contributeur.{participantId.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Loads the questionnaire; false (and a 404 page) for a link that opens nothing.</summary>
    protected async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await Questionnaire.OpenAsync(Token, cancellationToken) is not { } access)
        {
            return false;
        }
        Access = access;
        Answers = await Questionnaire.AnswersAsync(access, cancellationToken);
        Doubts = await Questionnaire.DoubtsAsync(access, cancellationToken);
        Contributors = await Questionnaire.ContributorsAsync(access, cancellationToken);
        // A forged, altered or another collectivité's cookie proves nobody.
        var credential = Request.Cookies[ContributorCookie(access.ParticipantId)];
        if (Questionnaire.ContributorIdOf(access.Link, credential) is { } id && Contributors.FirstOrDefault(c => c.Id == id) is { } contributor)
        {
            (Contributor, ContributorCredential) = (contributor, credential);
        }
        ViewData["Context"] = $"{access.Name} · {access.CampaignName}";
        return true;
    }

    /// <summary>The page for links that open nothing.</summary>
    protected IActionResult UnknownLink()
    {
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Partial("_UnknownLink");
    }

    /// <summary>Remembers who answers on this browser, for a year: their credential.</summary>
    protected void RememberContributor(string credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        Response.Cookies.Append(ContributorCookie(Access.ParticipantId), credential, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = Request.IsHttps,
            Expires = DateTimeOffset.UtcNow.AddYears(1),
            IsEssential = true,
        });
    }

    /// <summary>Questions answered (a level, NSP or NC) in a theme.</summary>
    public int AnsweredIn(Core.Model.Theme theme)
    {
        ArgumentNullException.ThrowIfNull(theme);
        return Data.Campaigns.Questionnaire.AnsweredCount(theme.Questions, Answers);
    }

    /// <summary>Questions answered in all.</summary>
    public int AnsweredCount => Data.Campaigns.Questionnaire.AnsweredCount(Access.Model.Questions, Answers);

    /// <summary>Questions without an answer in all.</summary>
    public int UnansweredCount => Data.Campaigns.Questionnaire.UnansweredCount(Access.Model, Answers);

    /// <summary>« 1 question renseignée sur 3 », « 2 questions renseignées sur 3 »: a progress as the pages write it.</summary>
    public static string AnsweredText(int answered, int total) =>
        $"{FrenchFormat.Plural(answered, AnsweredOne, AnsweredMany)} sur {FrenchFormat.Count(total)}";

    /// <summary>The noun of <see cref="AnsweredText"/> for up to one question (the theme page's script writes it too).</summary>
    public const string AnsweredOne = "question renseignée";

    /// <summary>The noun of <see cref="AnsweredText"/> from two questions.</summary>
    public const string AnsweredMany = "questions renseignées";

    /// <summary>« 3 questions sans réponse », « 1 question sans réponse ».</summary>
    public static string UnansweredText(int unanswered) => FrenchFormat.Plural(unanswered, "question sans réponse", "questions sans réponse");

    /// <summary>The part of a question's id the theme page's element ids carry (« gouvernance-strategie »): its fieldset is <c>q-</c> followed by it.</summary>
    public static string ElementId(string questionId)
    {
        ArgumentNullException.ThrowIfNull(questionId);
        return questionId.Replace('.', '-');
    }

    /// <summary>The address of a question on its theme page.</summary>
    public string QuestionLink(int themeNumber, string questionId) =>
        $"{Home}/theme/{themeNumber.ToString(CultureInfo.InvariantCulture)}#q-{ElementId(questionId)}";
}
