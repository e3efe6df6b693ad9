using Barometre.Data.Campaigns;
using Barometre.Web.Publication;
using Microsoft.AspNetCore.Mvc;

namespace Barometre.Web.Pages.Questionnaire;

/// <summary>
/// One theme of the questionnaire. Without JavaScript the page is a form saved by its button; with it,
/// every change is saved at once through the API (questionnaire.js). Either way a change is based on
/// the version it was made from, so a concurrent change by someone else is shown, never overwritten.
/// </summary>
[ThemeFormLimit]
public sealed class ThemeModel(Data.Campaigns.Questionnaire questionnaire, PreviousEditions previousEditions) : QuestionnairePage(questionnaire)
{
    [FromRoute]
    public int Number { get; set; }

    /// <summary>The answers as posted by the form (no JavaScript).</summary>
    [BindProperty]
    public List<PostedAnswer> Posted { get; set; } = [];

    /// <summary>Which button sent the form: « save », « next » or « summary ».</summary>
    [BindProperty]
    public string? Go { get; set; }

    [FromQuery(Name = "enregistre")]
    public string? SavedFlag { get; set; }

    /// <summary>Whether the page follows a save (the redirect carries <c>?enregistre=1</c>).</summary>
    public bool JustSaved => SavedFlag is "1" or "true";

    [FromQuery(Name = "reponse")]
    public string? RepliedFlag { get; set; }

    /// <summary>Whether the page follows a reply to a doubt (the redirect carries <c>?reponse=1</c>).</summary>
    public bool JustReplied => RepliedFlag is "1";

    /// <summary>Replies to doubts that could not be sent, why in French, by question id.</summary>
    public Dictionary<string, string> ReplyProblems { get; } = new(StringComparer.Ordinal);

    private (string Question, string? Reply)? _postedReply;

    /// <summary>The reply posted for a question, when the page is shown again after a problem.</summary>
    public string? ReplyFor(string questionId) => _postedReply is { } posted && posted.Question == questionId ? posted.Reply : null;

    public Core.Model.Theme Theme { get; private set; } = null!;

    /// <summary>Answers that could not be saved: the other person's answer (conflict) or the problems (invalid), by question id.</summary>
    public Dictionary<string, SaveOutcome> Problems { get; } = new(StringComparer.Ordinal);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return UnknownLink();
        }
        if (!SelectTheme())
        {
            return Redirect(Home);
        }
        await LoadPreviousAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return UnknownLink();
        }
        if (!SelectTheme())
        {
            return Redirect(Home);
        }
        var questions = Theme.Questions.Select(q => q.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var posted in Posted.Where(p => p.Id is not null && questions.Contains(p.Id)))
        {
            if (posted.Signature == posted.Original)
            {
                continue;   // untouched here: somebody else may have changed it meanwhile, and that stands
            }
            var outcome = await Questionnaire.SaveAsync(Access.Link, posted.Id!, posted.ToInput(), posted.Version, Contributor?.Name, cancellationToken);
            if (outcome is SaveOutcome.UnknownLink)
            {
                return UnknownLink();   // revoked or expired since the page was read
            }
            if (outcome is not SaveOutcome.Saved)
            {
                Problems[posted.Id!] = outcome;
            }
        }
        if (Problems.Count > 0)
        {
            // Show the page again with what was posted for the problem questions, fresh answers elsewhere.
            await LoadAsync(cancellationToken);
            SelectTheme();
            await LoadPreviousAsync(cancellationToken);
            return Page();
        }
        var next = Go == "next" && Number < Access.Model.Themes.Count ? Number + 1 : Number;
        return Go == "summary" ? Redirect($"{Home}/transmettre") : Redirect($"{Home}/theme/{next}?enregistre=1");
    }

    /// <summary>
    /// Replies to the operator's doubt about a question's evidence (the question's reply form): the page again with the
    /// question's problem when it cannot be sent — an unusable text, the doubt lifted meanwhile, the questionnaire read-only.
    /// </summary>
    public async Task<IActionResult> OnPostReplyAsync(string? question, string? reply, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return UnknownLink();
        }
        if (!SelectTheme())
        {
            return Redirect(Home);
        }
        if (question is null || !Theme.Questions.Any(q => q.Id == question))
        {
            return Redirect($"{Home}/theme/{Number}");
        }
        var outcome = await Questionnaire.ReplyAsync(Access.Link, question, reply, Contributor?.Name, cancellationToken);
        var anchor = $"#q-{ElementId(question)}";
        switch (outcome)
        {
            case SaveOutcome.Saved:
                return Redirect($"{Home}/theme/{Number}?reponse=1{anchor}");
            case SaveOutcome.UnknownLink:
                return UnknownLink();
            case SaveOutcome.Invalid invalid:
                ReplyProblems[question] = string.Join(" ", invalid.Errors.Values);
                break;
            case SaveOutcome.Locked locked:
                ReplyProblems[question] = locked.Reason;
                break;
            default:
                ReplyProblems[question] = SaveOutcome.NotQuestioned.Reason;
                break;
        }
        _postedReply = (question, reply);
        await LoadAsync(cancellationToken);
        SelectTheme();
        await LoadPreviousAsync(cancellationToken);
        return Page();
    }

    /// <summary>The earlier edition the campaign follows, or null.</summary>
    public EarlierCampaign? Previous { get; private set; }

    /// <summary>The collectivité's own answer in the earlier edition to the question <paramref name="questionId"/> continues, or null.</summary>
    public EarlierAnswer? PreviousFor(string questionId) => Previous?.AnswerOf(Access.Code, questionId);

    /// <summary>The posted value of a question, when the page is shown again after a problem.</summary>
    public PostedAnswer? PostedFor(string questionId) =>
        Problems.ContainsKey(questionId) ? Posted.FirstOrDefault(p => p.Id == questionId) : null;

    private bool SelectTheme()
    {
        if (Number < 1 || Number > Access.Model.Themes.Count)
        {
            return false;
        }
        Theme = Access.Model.Themes[Number - 1];
        ViewData["Title"] = $"{Theme.Title} — {Access.Name}";
        return true;
    }

    private async Task LoadPreviousAsync(CancellationToken cancellationToken) =>
        Previous = await previousEditions.OfAsync(Access.CampaignId, Access.Model, cancellationToken);
}

/// <summary>
/// A theme page's form holds every question of the theme: its body may hold <see cref="RequestBodyLimits.ThemeForm"/> of
/// that many questions; of none (the form part alone) for a link or a theme that opens nothing.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ThemeFormLimitAttribute : Attribute, IRequestBodyLimit
{
    /// <inheritdoc/>
    public async ValueTask<long> LimitAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var questionnaire = context.RequestServices.GetRequiredService<Data.Campaigns.Questionnaire>();
        var link = await questionnaire.LinkAsync(context.GetRouteValue("token") as string, context.RequestAborted);
        var number = int.TryParse(context.GetRouteValue("number") as string, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
        var questions = link is not null && number >= 1 && number <= link.Model.Themes.Count ? link.Model.Themes[number - 1].Questions.Count : 0;
        return RequestBodyLimits.ThemeForm(questions);
    }
}

/// <summary>One question as the form posts it.</summary>
public sealed class PostedAnswer
{
    public string? Id { get; set; }

    /// <summary>The version the form was loaded with.</summary>
    public int? Version { get; set; }

    /// <summary>The answer's content when the form was loaded (<see cref="Signature"/> of it).</summary>
    public string? Original { get; set; }

    /// <summary>« 0 »…« 4 », « NSP », « NC », or empty.</summary>
    public string? Choice { get; set; }

    public string? Comment { get; set; }

    public string? EvidenceUrl { get; set; }

    public string? EvidenceText { get; set; }

    /// <summary>The content as one string, to tell whether the person changed anything.</summary>
    public string Signature => SignatureOf(Choice, Comment, EvidenceUrl, EvidenceText);

    public static string SignatureOf(string? choice, string? comment, string? url, string? text) =>
        string.Join('\u001F', Clean(choice), Clean(comment), Clean(url), Clean(text));

    /// <summary>The signature of a stored answer.</summary>
    public static string SignatureOf(AnswerState answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return SignatureOf(ChoiceOf(answer), answer.Comment, answer.EvidenceUrl, answer.EvidenceText);
    }

    /// <summary>The radio value of a stored answer.</summary>
    public static string ChoiceOf(AnswerState answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return answer.Level is { } level ? level.ToString(System.Globalization.CultureInfo.InvariantCulture) : AnswerMarks.Code(answer.Mark) ?? "";
    }

    public AnswerInput ToInput()
    {
        var choice = Clean(Choice);
        return int.TryParse(choice, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var level)
            ? new AnswerInput(level, null, Comment, EvidenceUrl, EvidenceText)
            : new AnswerInput(null, choice.Length == 0 ? null : choice, Comment, EvidenceUrl, EvidenceText);
    }

    private static string Clean(string? text) => text?.Trim().ReplaceLineEndings("\n") ?? "";
}
