namespace Barometre.Data.Import.Surveys;

/// <summary>An answer option of a survey tool's question: its code and its label (plain text).</summary>
internal sealed record SourceAnswer(string Code, string Label);

/// <summary>
/// A question of a survey tool that may become a model question: a list question, or one item of an array.
/// </summary>
/// <param name="Code">The code the levels map knows it by (LimeSurvey question code, XLSForm name); an array's item shares its array's code.</param>
/// <param name="Name">The last part of its model id (the code, or <c>code_item</c> for an array's item).</param>
/// <param name="Label">Its text, plain.</param>
/// <param name="Answers">Its answer options, in display order.</param>
/// <param name="Headings">The headings a response export gives its column, most specific first.</param>
/// <param name="Place">Where it stands in the survey file, for the notes that concern it.</param>
/// <param name="Stem">The text of the survey's question (an array's, for its items), which notes quote.</param>
/// <param name="Caveats">What is lost when it is carried over (a display condition, an « other » option…), noted only if it is.</param>
internal sealed record SourceQuestion(string Code, string Name, string Label, IReadOnlyList<SourceAnswer> Answers, IReadOnlyList<string> Headings, Place Place, string Stem, IReadOnlyList<InputProblem> Caveats);

/// <summary>A group of a survey tool that may become a theme.</summary>
/// <param name="Key">What its theme id is made from (its name, or a code when it has none).</param>
/// <param name="Title">Its title, or null when the survey gives none (the operator writes it).</param>
/// <param name="Description">Its description, or null.</param>
/// <param name="Questions">Its mappable questions, in display order.</param>
/// <param name="Place">Where it stands in the survey file.</param>
internal sealed record SourceGroup(string Key, string? Title, string? Description, IReadOnlyList<SourceQuestion> Questions, Place Place);

/// <summary>A survey read from a tool's file, before its answers become levels.</summary>
/// <param name="Key">What the model id is made from.</param>
/// <param name="Title">The survey's title, or null.</param>
/// <param name="Description">Its description, or null.</param>
/// <param name="Groups">Its groups, in display order.</param>
/// <param name="Notes">What the reader could not carry into the model, each with its reason.</param>
internal sealed record SourceSurvey(string Key, string? Title, string? Description, IReadOnlyList<SourceGroup> Groups, IReadOnlyList<InputProblem> Notes);

/// <summary>A place in a file (line and column, or sheet row and column), for notes and problems.</summary>
internal sealed record Place(string Source, int? Line, int? Column)
{
    public InputProblem Problem(string message) => new(Source, Line, Column, message);
}
