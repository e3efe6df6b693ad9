using Barometre.Core.Model;
using Barometre.Data.Import;

namespace Barometre.Data.Tests.Import;

public sealed class ShippedModelsTest
{
    private const string Id2019 = "maturite-numerique-2019";

    private const string Id2021 = "maturite-numerique-2021";

    private static readonly string[] ThemeIds =
    [
        "strategie", "services", "education", "territoire", "administration", "donnee", "amenagement", "ecosysteme", "cybersecurite",
    ];

    private static readonly string[] QuestionIds =
    [
        "strategie.strategie", "strategie.levier", "strategie.organisation", "strategie.evaluation", "strategie.innovation",
        "services.orientations", "services.dematerialisation", "services.multicanal", "services.mediation",
        "education.strategie", "education.equipements", "education.generalisation", "education.evaluation",
        "territoire.coconstruction", "territoire.supervision", "territoire.partenaires", "territoire.indicateurs",
        "administration.dematerialisation", "administration.pratiques", "administration.mobilite", "administration.fonctions_support", "administration.pilotage",
        "donnee.opendata", "donnee.gouvernance", "donnee.qualite", "donnee.spld",
        "amenagement.thd", "amenagement.couverture", "amenagement.iot", "amenagement.datacenters",
        "ecosysteme.accompagnement", "ecosysteme.animation", "ecosysteme.reseau",
        "cybersecurite.conformite", "cybersecurite.risques_operationnels", "cybersecurite.vision_risques", "cybersecurite.gouvernance",
    ];

    private static readonly (string Id, string Question, string Predicate)[] Indicators =
    [
        ("levier-transformation", "strategie.levier", ">= 3"),
        ("sans-dispositif-organisationnel", "strategie.organisation", "<= 2"),
        ("services-dematerialises", "services.dematerialisation", ">= 3"),
        ("sans-mediation-numerique", "services.mediation", "<= 2"),
        ("strategie-e-education", "education.strategie", ">= 2"),
        ("sans-evaluation-usages", "education.evaluation", "<= 1"),
        ("co-construction", "territoire.coconstruction", ">= 3"),
        ("sans-supervision", "territoire.supervision", "<= 2"),
        ("dematerialisation-horizon", "administration.dematerialisation", ">= 2"),
        ("pratiques-transformees", "administration.pratiques", ">= 3"),
        ("sans-strategie-open-data", "donnee.opendata", "<= 2"),
        ("plan-thd", "amenagement.thd", ">= 3"),
        ("datacenters-non-abordes", "amenagement.datacenters", "= 0"),
        ("accompagnement-projets", "ecosysteme.accompagnement", ">= 3"),
        ("conformite-cyber", "cybersecurite.conformite", ">= 3"),
        ("sans-vision-risques", "cybersecurite.vision_risques", "<= 2"),
    ];

    private static readonly string[] ScaleLabels =
    [
        "Sujet non abordé",
        "Réflexion engagée, sans orientation formalisée",
        "Orientations formalisées",
        "Mise en œuvre engagée",
        "Mise en œuvre complète et effective",
    ];

    private static MaturityModel Model2019 => ShippedModels.Load(Id2019);

    [Fact]
    public void Ids_ContainsMaturiteNumerique2019()
    {
        Assert.Contains(Id2019, ShippedModels.Ids);
    }

    [Fact]
    public void Ids_AreSortedAndUnique()
    {
        Assert.Equal(ShippedModels.Ids.Order(StringComparer.Ordinal), ShippedModels.Ids);
        Assert.Equal(ShippedModels.Ids.Count, ShippedModels.Ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Load_EveryShippedId_IsValid()
    {
        Assert.NotEmpty(ShippedModels.Ids);
        foreach (var id in ShippedModels.Ids)
        {
            var result = ModelFile.Load(id);
            Assert.True(result.Succeeded, $"{id}: {string.Join('\n', result.Problems)}");
            Assert.Equal(id, result.Value!.Id);
        }
    }

    [Fact]
    public void Load_UnknownId_Throws()
    {
        var exception = Assert.Throws<ArgumentException>(() => ShippedModels.Load("referentiel-inconnu"));
        Assert.Contains("referentiel-inconnu", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_2019_HasIdTitleAndEdition()
    {
        var model = Model2019;

        Assert.Equal(Id2019, model.Id);
        Assert.Equal("Baromètre de la maturité numérique des collectivités", model.Title);
        Assert.Equal("2019", model.Edition);
        Assert.False(string.IsNullOrWhiteSpace(model.Description));
    }

    [Fact]
    public void Load_2019_HasExactlyTheThemesInOrder()
    {
        Assert.Equal(ThemeIds, Model2019.Themes.Select(t => t.Id));
    }

    [Fact]
    public void Load_2019_HasExactlyTheQuestionsInOrder()
    {
        var model = Model2019;

        Assert.Equal(QuestionIds, model.Questions.Select(q => q.Id));
        for (var q = 0; q < model.Questions.Count; q++)
        {
            Assert.True(Theme.IsQuestionIdOf(model.Themes[model.ThemeOfQuestion[q]].Id, model.Questions[q].Id));
        }
    }

    [Fact]
    public void Load_2019_ThemesHaveTitlesAndUnitWeights()
    {
        Assert.All(Model2019.Themes, theme =>
        {
            Assert.False(string.IsNullOrWhiteSpace(theme.Title), theme.Id);
            Assert.Equal(1.0, theme.Weight);
        });
    }

    [Fact]
    public void Load_2019_HasTheFiveLevelScale()
    {
        var scale = Model2019.Scale;

        Assert.Equal(5, scale.Count);
        Assert.Equal([0, 1, 2, 3, 4], scale.Levels.Select(l => l.Level));
        Assert.Equal(ScaleLabels, scale.Levels.Select(l => l.Label));
        Assert.Equal(Scale.Default.Levels, scale.Levels);
    }

    [Fact]
    public void Load_2019_HasExactlyTheSixteenIndicators()
    {
        var indicators = Model2019.Indicators;

        Assert.Equal(16, indicators.Count);
        Assert.Equal(Indicators, indicators.Select(i => (i.Id, i.QuestionId, i.Predicate.ToString())));
    }

    [Fact]
    public void Load_2019_IndicatorsHaveFrenchStatementsAndTitles()
    {
        Assert.All(Model2019.Indicators, indicator =>
        {
            Assert.False(string.IsNullOrWhiteSpace(indicator.Statement), indicator.Id);
            Assert.Contains(Indicator.ValuePlaceholder, indicator.Statement, StringComparison.Ordinal);
            Assert.Contains("des collectivités", indicator.Statement, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(indicator.Title), indicator.Id);
        });
    }

    [Fact]
    public void Load_2019_IndicatorStatementFormatsAsFrenchPercentage()
    {
        var indicator = Model2019.Indicators.Single(i => i.Id == "levier-transformation");

        var text = indicator.FormatStatement(0.51);

        Assert.StartsWith("51", text, StringComparison.Ordinal);
        Assert.Contains("%", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Indicator.ValuePlaceholder, text, StringComparison.Ordinal);
        Assert.EndsWith("numérique comme levier de transformation", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_2019_EveryQuestionHasLabelAndHelpForEachLevel()
    {
        var model = Model2019;

        Assert.All(model.Questions, question =>
        {
            Assert.False(string.IsNullOrWhiteSpace(question.Label), question.Id);
            Assert.Equal(model.Scale.Count, question.Help.Count);
            for (var level = 0; level < model.Scale.Count; level++)
            {
                Assert.False(string.IsNullOrWhiteSpace(question.HelpFor(level)), $"{question.Id}, level {level}");
            }
        });
    }

    [Fact]
    public void Load_2019_HelpTextsDifferWithinEachQuestion()
    {
        Assert.All(Model2019.Questions, question =>
            Assert.Equal(question.Help.Count, question.Help.Distinct(StringComparer.Ordinal).Count()));
    }

    [Fact]
    public void Load_2019_SameAsModelFileLoadById()
    {
        var shipped = Model2019;
        var loaded = ModelFile.Load(Id2019).GetValueOrThrow();

        Assert.Equal(shipped.Questions.Select(q => (q.Id, q.Label)), loaded.Questions.Select(q => (q.Id, q.Label)));
        Assert.Equal(shipped.Indicators, loaded.Indicators);
    }

    [Fact]
    public void Load_2021_FollowsThe2019ModelOnItsScale()
    {
        var model = ShippedModels.Load(Id2021);

        Assert.Equal("2021", model.Edition);
        Assert.Equal(Id2019, model.Follows?.Model);
        Assert.Equal(Scale.Default.Levels, model.Scale.Levels);
        Assert.Equal(
            ["strategie", "services", "inclusion", "numerique-educatif", "administration", "donnee", "amenagement", "ecosysteme", "cybersecurite", "numerique-responsable"],
            model.Themes.Select(t => t.Id));
        Assert.Equal(["education"], model.Follows!.Themes["numerique-educatif"]);
    }

    [Fact]
    public void Load_2021_QuestionsAndIndicatorsAreWrittenAsIn2019()
    {
        var model = ShippedModels.Load(Id2021);

        Assert.All(model.Themes, theme => Assert.False(string.IsNullOrWhiteSpace(theme.Description), theme.Id));
        Assert.All(model.Questions, question =>
        {
            Assert.Equal(model.Scale.Count, question.Help.Count);
            Assert.Equal(question.Help.Count, question.Help.Distinct(StringComparer.Ordinal).Count());
            Assert.All(question.Help, help => Assert.False(string.IsNullOrWhiteSpace(help), question.Id));
        });
        Assert.All(model.Indicators, indicator =>
        {
            Assert.Contains(Indicator.ValuePlaceholder, indicator.Statement, StringComparison.Ordinal);
            Assert.Contains("des collectivités", indicator.Statement, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(indicator.Title), indicator.Id);
        });
    }
}
