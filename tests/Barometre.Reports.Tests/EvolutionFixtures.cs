using Barometre.Core.Evolution;
using Barometre.Core.Model;
using Barometre.Core.Responses;
using Barometre.Core.Synthetic;
using Barometre.Data.Import;

namespace Barometre.Reports.Tests;

/// <summary>
/// Two editions for the evolution: the synthetic 2019 panel (<see cref="ReportFixtures.Synthetic"/>) and a 2021 panel on the
/// shipped model that follows it. In 2021 the first 2019 collectivité is gone and one new collectivité answers; the others
/// keep their comparable answers, one level higher on every « strategie » question (a significant rise), and one of them
/// one level higher on the first « services » question (a change too small to be significant).
/// </summary>
internal static class EvolutionFixtures
{
    public const string LaterModelId = "maturite-numerique-2021";

    /// <summary>The theme every collectivité progresses on.</summary>
    public const string RisingTheme = "strategie";

    /// <summary>The theme only one collectivité progresses on.</summary>
    public const string SteadyTheme = "services";

    private static readonly Lazy<MaturityModel> LazyLaterModel = new(() => ShippedModels.Load(LaterModelId));
    private static readonly Lazy<EditionMapping> LazyMapping = new(() => new EditionMapping(ReportFixtures.Model, LaterModel));
    private static readonly Lazy<ReportPanel> LazyLater = new(() => ReportFixtures.Build(LaterResponses()));
    private static readonly Lazy<PreviousEdition> LazyPrevious = new(() => new PreviousEdition(
        Mapping,
        EditionComparison.Compare(Mapping, Earlier.Responses, Earlier.Results, Later.Responses, Later.Results, ReportFixtures.Options)));
    private static readonly Lazy<Task<string>> LazyStudyHtml = new(() => ReportFixtures.RenderStudyAsync(Study()));

    public static MaturityModel LaterModel => LazyLaterModel.Value;

    public static EditionMapping Mapping => LazyMapping.Value;

    /// <summary>The 2019 edition.</summary>
    public static ReportPanel Earlier => ReportFixtures.Synthetic;

    /// <summary>The 2021 edition.</summary>
    public static ReportPanel Later => LazyLater.Value;

    public static PreviousEdition Previous => LazyPrevious.Value;

    /// <summary>The collectivité of 2019 that did not answer in 2021.</summary>
    public static string LeftCode => Earlier.Responses.Respondents[0].Code;

    /// <summary>The collectivité of 2021 that did not answer in 2019.</summary>
    public static string NewCode => Later.Responses.Respondents[^1].Code;

    /// <summary>A collectivité in both editions.</summary>
    public static string StayingCode => Earlier.Responses.Respondents[1].Code;

    /// <summary>The 2021 study with the evolution since 2019.</summary>
    public static StudyReportData Study() => Later.Study() with { Previous = Previous };

    /// <summary>The 2021 study with the evolution, rendered once.</summary>
    public static Task<string> StudyHtml => LazyStudyHtml.Value;

    /// <summary>The confidential 2021 report of <paramref name="code"/>, with its evolution.</summary>
    public static IndividualReportData Individual(string code) => Later.Individual(Later.IndexOf(code)) with { Previous = Previous };

    private static ResponseSet LaterResponses()
    {
        var earlier = Earlier.Responses;
        var model = LaterModel;
        var mapping = Mapping;
        var stayers = earlier.Respondents.Skip(1).ToList();
        var number = earlier.Count + 1;
        var newcomer = new Respondent($"{SyntheticPanel.CodePrefix}{number}", $"Ville fictive de Nouvelmont n° {number}", "Commune", 85_000, "Bretagne");
        var respondents = stayers.Append(newcomer).ToList();
        var questions = model.Questions.Count;
        var cells = new sbyte[respondents.Count * questions];
        var firstServices = model.Themes[model.IndexOfTheme(SteadyTheme)].Questions[0];
        for (var r = 0; r < respondents.Count; r++)
        {
            for (var q = 0; q < questions; q++)
            {
                var comparison = mapping.Questions[q];
                sbyte cell;
                if (r < stayers.Count && comparison.IsComparable)
                {
                    cell = earlier[r + 1, comparison.EarlierIndex];
                    var theme = model.Themes[model.ThemeOfQuestion[q]].Id;
                    var raised = theme == RisingTheme || (r == 0 && model.Questions[q].Id == firstServices.Id);
                    if (raised && cell >= 0 && cell < model.Scale.MaxLevel)
                    {
                        cell++;
                    }
                }
                else
                {
                    // New questions and the newcomer: a spread of levels, fixed.
                    cell = (sbyte)((r + (3 * q)) % (model.Scale.MaxLevel + 1));
                }
                cells[(r * questions) + q] = cell;
            }
        }
        return new ResponseSet(model, respondents, cells);
    }
}
