using System.Globalization;
using System.Text;

namespace Barometre.Web.Tests.Infrastructure;

/// <summary>Maturity models for test campaigns.</summary>
internal static class TestModels
{
    /// <summary>TestData/model-small.yaml: two themes (3 + 2 questions) with help on every level, one indicator.</summary>
    public static string Small { get; } = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "model-small.yaml"));

    /// <summary>
    /// TestData/model-small-next.yaml: the edition after <see cref="Small"/> (« gouvernance » renamed « pilotage » without
    /// its evaluation question, a new question « services.accueil », the five levels mapped onto six: 4 → 5).
    /// </summary>
    public static string SmallNext { get; } = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "model-small-next.yaml"));

    /// <summary>A generated model with <paramref name="themes"/> themes of <paramref name="questionsPerTheme"/> questions (« t1.q01 »…).</summary>
    public static string Large(int themes, int questionsPerTheme)
    {
        var text = new StringBuilder();
        text.AppendLine("id: modele-grand").AppendLine("title: Grand référentiel de test").AppendLine("themes:");
        for (var t = 1; t <= themes; t++)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  - id: t{t}").AppendLine(CultureInfo.InvariantCulture, $"    title: Thème {t}").AppendLine("    questions:");
            for (var q = 1; q <= questionsPerTheme; q++)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"      - id: t{t}.q{q:D2}").AppendLine(CultureInfo.InvariantCulture, $"        label: Question {q} du thème {t}");
            }
        }
        return text.ToString();
    }
}
