using Barometre.Core.Evolution;
using Barometre.Core.Model;

namespace Barometre.Reports;

/// <summary>The earlier edition a report compares with: how the models map, and what changed (<see cref="EditionComparison"/>).</summary>
/// <param name="Mapping">The lineage between the earlier model and the report's model (titles of earlier themes, indicators and questions).</param>
/// <param name="Evolution">The computed change between the two editions.</param>
public sealed record PreviousEdition(EditionMapping Mapping, EvolutionResults Evolution)
{
    // Looked up once per confidential report: a dictionary, not a scan of every collectivité. Workers may build it
    // concurrently; they build the same one, and the last assignment wins.
    private Dictionary<string, CollectiviteChange>? _byCode;

    /// <summary>The earlier edition as readers name it: its edition label (« 2019 ») or its model id.</summary>
    public string EarlierLabel => Label(Mapping.Earlier);

    /// <summary>The later edition as readers name it.</summary>
    public string LaterLabel => Label(Mapping.Later);

    /// <summary>The earlier share of the key indicator <paramref name="indicatorId"/> (later model's id), or null when it is not compared.</summary>
    public double? EarlierShare(string indicatorId) => Evolution.Indicator(indicatorId)?.Change.Before;

    /// <summary>A collectivité's own change by its code, or null when it is not in both editions.</summary>
    public CollectiviteChange? Collectivite(string code) => (_byCode ??= Evolution.Collectivites.ToDictionary(c => c.Code, StringComparer.Ordinal)).GetValueOrDefault(code);

    /// <summary>What readers call a measure of the earlier (<paramref name="earlier"/>) or the later model: a theme's title, an indicator's title (else its question's label), a question's label.</summary>
    public string Name(MeasureKind kind, string id, bool earlier)
    {
        var model = earlier ? Mapping.Earlier : Mapping.Later;
        return kind switch
        {
            MeasureKind.Theme => model.IndexOfTheme(id) is >= 0 and var t ? model.Themes[t].Title : id,
            MeasureKind.Question => model.IndexOfQuestion(id) is >= 0 and var q ? model.Questions[q].Label : id,
            _ => model.Indicators.FirstOrDefault(i => i.Id == id) is { } indicator
                ? indicator.Title ?? (model.IndexOfQuestion(indicator.QuestionId) is >= 0 and var q ? model.Questions[q].Label : id)
                : id,
        };
    }

    /// <summary>The id of the theme a question belongs to in the earlier (<paramref name="earlier"/>) or the later model, or null.</summary>
    public string? ThemeOfQuestion(string questionId, bool earlier)
    {
        var model = earlier ? Mapping.Earlier : Mapping.Later;
        return model.IndexOfQuestion(questionId) is >= 0 and var q ? model.Themes[model.ThemeOfQuestion[q]].Id : null;
    }

    private static string Label(MaturityModel model) => string.IsNullOrWhiteSpace(model.Edition) ? model.Id : model.Edition;
}
