using Barometre.Core.Model;
using Barometre.Core.Responses;

namespace Barometre.Data.Import.Surveys;

/// <summary>
/// A maturity-model draft made from a survey tool's questionnaire (LimeSurvey, XLSForm): its themes and questions,
/// its scale, how each answer code becomes a level, and what could not be carried over, each with its reason.
/// Written as a model file by <see cref="ToYaml"/>, checked by <see cref="Check"/> as any model file is.
/// </summary>
/// <param name="Id">The model id, made from the survey's title or number.</param>
/// <param name="Title">The survey's title, or null.</param>
/// <param name="Description">The survey's description, or null.</param>
/// <param name="Scale">The label of each level, level 0 first; null where no answer gives one (the operator writes it).</param>
/// <param name="Themes">The themes, each with at least one question.</param>
/// <param name="Notes">
/// What was not carried into the draft (free text, numbers, multiple choice, unmapped codes, conditions, other
/// languages…) or carried with a caveat, each with its place in the survey file and its reason, in French.
/// </param>
public sealed record ModelDraft(string Id, string? Title, string? Description, IReadOnlyList<string?> Scale, IReadOnlyList<DraftTheme> Themes, IReadOnlyList<InputProblem> Notes)
{
    /// <summary>The questions, in model order.</summary>
    public IEnumerable<DraftQuestion> Questions => Themes.SelectMany(theme => theme.Questions);

    /// <summary>The draft as a model file (YAML), headed by comments that list <see cref="Notes"/>.</summary>
    public string ToYaml() => DraftYaml.Write(this);

    /// <summary>
    /// The draft checked as a model file named <paramref name="source"/>: the model, or every problem, each at its
    /// line and column in <see cref="ToYaml"/>'s text — what the operator must fill in.
    /// </summary>
    public ImportResult<MaturityModel> Check(string source) => ModelFile.Read(new ModelText(ToYaml(), source));

    /// <summary>
    /// A model with the draft's ids, to write the responses with (<see cref="ResponsesCsv.Write(Barometre.Core.Responses.ResponseSet, System.IO.Stream)"/>) even while the
    /// draft lacks texts the operator has still to write: a theme without title is titled by its id there, a level
    /// without label by its number. Null when the draft has no question.
    /// </summary>
    internal MaturityModel? ColumnsModel()
    {
        if (Themes.Count == 0)
        {
            return null;
        }
        var scale = new Scale(Scale.Select((label, level) => new ScaleLevel(level, label ?? level.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        var themes = Themes.Select(theme => new Theme(theme.Id, theme.Title ?? theme.Id, 1, theme.Questions.Select(question => new Question(question.Id, question.Label, []))));
        return new MaturityModel(Id, Title, scale, themes, []);
    }
}

/// <summary>A theme of a draft: a group of the survey.</summary>
/// <param name="Id">The theme id.</param>
/// <param name="Title">The group's title, or null when it has none (the operator writes it).</param>
/// <param name="Description">The group's description, or null.</param>
/// <param name="Questions">Its questions, at least one.</param>
public sealed record DraftTheme(string Id, string? Title, string? Description, IReadOnlyList<DraftQuestion> Questions);

/// <summary>A question of a draft, and how its answers become cells of the responses.</summary>
/// <param name="Id">The question id, <c>theme.code</c>.</param>
/// <param name="Code">The survey's code for it (an array's item: the array's code).</param>
/// <param name="Label">Its text.</param>
/// <param name="Help">Its answers' labels by level, when they differ from the scale's and cover each level once; else empty.</param>
/// <param name="Cells">Answer code → cell (a level, or <see cref="CellCode.DontKnow"/> / <see cref="CellCode.NotConcerned"/>).</param>
/// <param name="LabelCells">Answer label → cell, for exports that write labels instead of codes.</param>
/// <param name="Headings">The headings a response export gives its column.</param>
public sealed record DraftQuestion(
    string Id,
    string Code,
    string Label,
    IReadOnlyList<string> Help,
    IReadOnlyDictionary<string, sbyte> Cells,
    IReadOnlyDictionary<string, sbyte> LabelCells,
    IReadOnlyList<string> Headings);
