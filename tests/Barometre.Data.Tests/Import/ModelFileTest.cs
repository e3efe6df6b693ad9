using Barometre.Core.Model;
using Barometre.Data.Import;

namespace Barometre.Data.Tests.Import;

public sealed class ModelFileTest
{
    private const string Source = "essai.yaml";

    private static readonly string TestDataDirectory = Path.Combine(AppContext.BaseDirectory, "TestData", "Import");

    private const string ValidYaml = """
        id: essai
        title: Référentiel d'essai
        edition: "2024"
        description: Un référentiel pour les tests.
        scale:
          - level: 0
            label: Rien
          - level: 1
            label: Un peu
          - level: 2
            label: Beaucoup
          - level: 3
            label: Tout
        themes:
          - id: gouv
            title: Gouvernance
            weight: 2.5
            description: La gouvernance du numérique.
            questions:
              - id: gouv.strategie
                label: Stratégie formalisée
                help: [Aucune, Réflexion, Rédigée, Appliquée]
              - id: gouv.pilotage
                label: Pilotage
                help:
                  0: Aucun
                  1: Partiel
                  2: "  Régulier  "
                  3: Complet
          - id: usages
            title: Usages
            questions:
              - id: usages.services
                label: Services en ligne
        indicators:
          - id: strategie-engagee
            title: Stratégie
            question: gouv.strategie
            predicate: ">=2"
            statement: "{value} des collectivités ont une stratégie"
          - id: sans-services
            question: usages.services
            predicate: "= 0"
        """;

    private static ImportResult<MaturityModel> Read(string text, string source = Source)
    {
        using var reader = new StringReader(text);
        return ModelFile.Read(reader, source);
    }

    private static MaturityModel ReadValid(string text)
    {
        var result = Read(text);
        Assert.True(result.Succeeded, string.Join('\n', result.Problems));
        Assert.Empty(result.Problems);
        Assert.Equal(0, result.ProblemCount);
        return result.Value!;
    }

    private static InputProblem AssertProblem(ImportResult<MaturityModel> result, int line, params string[] fragments)
    {
        var matching = result.Problems
            .Where(p => p.Line == line && fragments.All(f => p.Message.Contains(f, StringComparison.Ordinal)))
            .ToList();
        Assert.True(
            matching.Count == 1,
            $"expected one problem on line {line} containing [{string.Join(" | ", fragments)}], found {matching.Count} among:\n{string.Join('\n', result.Problems)}");
        Assert.Equal(Source, matching[0].Source);
        return matching[0];
    }

    private static InputProblem SingleProblem(ImportResult<MaturityModel> result)
    {
        Assert.False(result.Succeeded);
        Assert.Null(result.Value);
        return Assert.Single(result.Problems);
    }

    [Fact]
    public void Read_ValidYaml_ReadsModelAsWritten()
    {
        var model = ReadValid(ValidYaml);

        Assert.Equal("essai", model.Id);
        Assert.Equal("Référentiel d'essai", model.Title);
        Assert.Equal("2024", model.Edition);
        Assert.Equal("Un référentiel pour les tests.", model.Description);
        Assert.Equal([0, 1, 2, 3], model.Scale.Levels.Select(l => l.Level));
        Assert.Equal(["Rien", "Un peu", "Beaucoup", "Tout"], model.Scale.Levels.Select(l => l.Label));
        Assert.Equal(["gouv", "usages"], model.Themes.Select(t => t.Id));
        Assert.Equal(["Gouvernance", "Usages"], model.Themes.Select(t => t.Title));
        Assert.Equal(["gouv.strategie", "gouv.pilotage", "usages.services"], model.Questions.Select(q => q.Id));
        Assert.Equal(["Stratégie formalisée", "Pilotage", "Services en ligne"], model.Questions.Select(q => q.Label));
        Assert.Equal([0, 0, 1], model.ThemeOfQuestion);
    }

    [Fact]
    public void Read_ThemeWeight_IsReadAndDefaultsToOne()
    {
        var model = ReadValid(ValidYaml);

        Assert.Equal(2.5, model.Themes[0].Weight);
        Assert.Equal(1.0, model.Themes[1].Weight);
    }

    [Fact]
    public void Read_HelpAsList_GivesOneTextPerLevel()
    {
        var model = ReadValid(ValidYaml);

        Assert.Equal(["Aucune", "Réflexion", "Rédigée", "Appliquée"], model.Questions[0].Help);
    }

    [Fact]
    public void Read_HelpAsLevelTable_GivesTrimmedTextPerLevel()
    {
        var model = ReadValid(ValidYaml);

        Assert.Equal(["Aucun", "Partiel", "Régulier", "Complet"], model.Questions[1].Help);
        Assert.Equal("Régulier", model.Questions[1].HelpFor(2));
    }

    [Fact]
    public void Read_HelpAbsent_GivesEmptyHelp()
    {
        var model = ReadValid(ValidYaml);

        Assert.Empty(model.Questions[2].Help);
        Assert.Null(model.Questions[2].HelpFor(0));
    }

    [Fact]
    public void Read_Indicators_AreReadAsWritten()
    {
        var model = ReadValid(ValidYaml);

        Assert.Equal(2, model.Indicators.Count);
        var first = model.Indicators[0];
        Assert.Equal("strategie-engagee", first.Id);
        Assert.Equal("gouv.strategie", first.QuestionId);
        Assert.Equal(new Predicate(Comparison.AtLeast, 2), first.Predicate);
        Assert.Equal(">= 2", first.Predicate.ToString());
        Assert.Equal("{value} des collectivités ont une stratégie", first.Statement);
        Assert.Equal("Stratégie", first.Title);
        var second = model.Indicators[1];
        Assert.Equal("sans-services", second.Id);
        Assert.Equal("usages.services", second.QuestionId);
        Assert.Equal(new Predicate(Comparison.Exactly, 0), second.Predicate);
        Assert.Equal("", second.Statement);
        Assert.Null(second.Title);
    }

    [Fact]
    public void Read_NoScale_UsesDefaultFiveLevelScale()
    {
        var model = ReadValid("""
            id: sans-echelle
            themes:
              - id: t
                title: Thème
                questions:
                  - id: t.q
                    label: Question
            """);

        Assert.Same(Scale.Default, model.Scale);
        Assert.Equal(5, model.Scale.Count);
        Assert.Equal("Sujet non abordé", model.Scale.LabelOf(0));
        Assert.Equal("Mise en œuvre complète et effective", model.Scale.LabelOf(4));
        Assert.Equal("sans-echelle", model.Title);
        Assert.Null(model.Edition);
        Assert.Null(model.Description);
        Assert.Empty(model.Indicators);
    }

    [Fact]
    public void Read_NoScale_HelpMustCoverFiveLevels()
    {
        var model = ReadValid("""
            id: aide
            themes:
              - id: t
                title: Thème
                questions:
                  - id: t.q
                    label: Question
                    help: [a, b, c, d, e]
            """);

        Assert.Equal(["a", "b", "c", "d", "e"], model.Questions[0].Help);
    }

    [Fact]
    public void Read_JsonModel_Loads()
    {
        var model = ReadValid("""
            {
              "id": "mini",
              "title": "Mini référentiel",
              "themes": [
                {"id": "a", "title": "Thème A", "weight": 1, "questions": [{"id": "a.q1", "label": "Question A1"}, {"id": "a.q2", "label": "Question A2"}]},
                {"id": "b", "title": "Thème B", "weight": 0.5, "questions": [{"id": "b.q1", "label": "Question B1"}]}
              ],
              "indicators": [
                {"id": "a-engage", "question": "a.q1", "predicate": ">= 3"},
                {"id": "b-non-aborde", "question": "b.q1", "predicate": "= 0"}
              ]
            }
            """);

        Assert.Equal("mini", model.Id);
        Assert.Equal("Mini référentiel", model.Title);
        Assert.Same(Scale.Default, model.Scale);
        Assert.Equal(["a", "b"], model.Themes.Select(t => t.Id));
        Assert.Equal([1.0, 0.5], model.Themes.Select(t => t.Weight));
        Assert.Equal(["a.q1", "a.q2", "b.q1"], model.Questions.Select(q => q.Id));
        Assert.Equal(["Question A1", "Question A2", "Question B1"], model.Questions.Select(q => q.Label));
        Assert.All(model.Questions, q => Assert.Empty(q.Help));
        Assert.Equal(["a-engage", "b-non-aborde"], model.Indicators.Select(i => i.Id));
        Assert.Equal([">= 3", "= 0"], model.Indicators.Select(i => i.Predicate.ToString()));
        Assert.All(model.Indicators, i => Assert.Equal("", i.Statement));
        Assert.All(model.Indicators, i => Assert.Null(i.Title));
    }

    [Fact]
    public void Read_ManyMistakes_ReportsEveryProblemAtOnce()
    {
        const string yaml = """
            id: mauvais
            title: Mauvais
            scale:
              - level: 0
                label: Zéro
              - level: 2
                label: Deux
              - level: 1
                label: Un
            themes:
              - id: alpha
                title: Alpha
                wieght: 2
                questions:
                  - id: alpha.q1
                    label: Q1
                    help: [a, b, c, d]
                  - id: alpha.q2
                    help:
                      0: zéro
                      1: un
              - id: alpha
                weight: 0
                questions:
                  - id: alpha.q1
                    label: Doublon
                  - id: beta.q3
                    label: Mauvais préfixe
              - id: gamma
                title: Gamma
                weight: lourd
                questions:
                  - id: gamma.q1
                    label: G1
            indicators:
              - id: ind1
                question: alpha.q1
                predicate: ">> 3"
              - id: ind1
                question: inconnue.q9
                predicate: ">= 5"
                statement: "sans valeur"
            """;

        var result = Read(yaml);

        Assert.False(result.Succeeded);
        Assert.Null(result.Value);
        Assert.All(result.Problems, p => Assert.Equal(Source, p.Source));
        // Bad scale level order, each misplaced level on its own line.
        AssertProblem(result, 6, "position 2", "devrait valoir 1", "pas 2");
        AssertProblem(result, 8, "position 3", "devrait valoir 2", "pas 1");
        // Unknown key.
        AssertProblem(result, 13, "clé inconnue", "wieght");
        // Incomplete help: a list of 4 texts on the (default, 5-level) scale, then a table missing levels.
        AssertProblem(result, 17, "question alpha.q1", "help", "5 niveaux");
        AssertProblem(result, 20, "question alpha.q2", "help", "2, 3, 4");
        // Missing question label.
        AssertProblem(result, 18, "question alpha.q2", "label", "manquant");
        // Duplicate theme id and missing theme title.
        AssertProblem(result, 22, "identifiant de thème en double", "alpha");
        AssertProblem(result, 22, "thème alpha", "title", "manquant");
        // Non-positive weight.
        AssertProblem(result, 23, "thème alpha", "poids", "« 0 »");
        // Duplicate question id.
        AssertProblem(result, 25, "identifiant de question en double", "alpha.q1");
        // Question id not prefixed by its theme.
        AssertProblem(result, 27, "question beta.q3", "alpha.<nom>");
        // Non-numeric weight.
        AssertProblem(result, 31, "thème gamma", "poids", "lourd");
        // Unparsable predicate.
        AssertProblem(result, 38, "indicateur ind1", ">> 3", "illisible");
        // Duplicate indicator id.
        AssertProblem(result, 39, "identifiant d'indicateur en double", "ind1");
        // Indicator on an unknown question.
        AssertProblem(result, 40, "indicateur ind1", "question inconnue", "inconnue.q9");
        // Threshold above the scale.
        AssertProblem(result, 41, "indicateur ind1", ">= 5", "hors de l'échelle", "0 à 4");
        // Statement without {value}.
        AssertProblem(result, 42, "indicateur ind1", "{value}");
        Assert.Equal(17, result.Problems.Count);
        Assert.Equal(17, result.ProblemCount);
        var lines = result.Problems.Select(p => p.Line ?? 0).ToList();
        Assert.Equal(lines.Order(), lines);
    }

    [Theory]
    [InlineData(5, "alpha")]
    [InlineData(9, "alpha.q1")]
    [InlineData(13, "ind1")]
    public void Read_UnknownKey_NamesTheThemeQuestionOrIndicator(int line, string id)
    {
        var result = Read("""
            id: cles
            themes:
              - id: alpha
                title: Alpha
                wieght: 2
                questions:
                  - id: alpha.q1
                    label: Q1
                    aide: [a, b, c, d, e]
            indicators:
              - id: ind1
                question: alpha.q1
                predicat: ">= 3"
                predicate: ">= 3"
            """);

        Assert.False(result.Succeeded);
        Assert.Equal(3, result.Problems.Count);
        var problem = Assert.Single(result.Problems, p => p.Line == line);
        Assert.Contains("clé inconnue", problem.Message, StringComparison.Ordinal);
        Assert.Contains(id, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ManyMistakes_ProblemsAreInFileOrder()
    {
        var result = Read("""
            id: ordre
            themes:
              - id: t
                title: T
                weight: -1
                questions:
                  - id: u.q
                    label: Q
            indicators:
              - id: i
                question: t.inconnue
                predicate: ">= 1"
            bizarre: 1
            """);

        Assert.Equal([5, 7, 11, 13], result.Problems.Select(p => p.Line ?? 0));
        Assert.All(result.Problems, p => Assert.NotNull(p.Column));
    }

    [Fact]
    public void Read_Problem_HasYamlColumn()
    {
        var result = Read("""
            id: colonne
            themes:
              - id: t
                title: T
                weight: zéro
                questions:
                  - id: t.q
                    label: Q
            """);

        var problem = SingleProblem(result);
        Assert.Equal(5, problem.Line);
        Assert.Equal(13, problem.Column);
        Assert.Equal($"{Source}:5:13: {problem.Message}", problem.ToString());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("lourd")]
    [InlineData("1e400")]
    public void Read_BadWeight_ReportsValueAndLine(string weight)
    {
        var result = Read($"""
            id: poids
            themes:
              - id: t
                title: T
                weight: "{weight}"
                questions:
                  - id: t.q
                    label: Q
            """);

        var problem = SingleProblem(result);
        Assert.Equal(5, problem.Line);
        Assert.Contains("thème t", problem.Message, StringComparison.Ordinal);
        Assert.Contains($"« {weight} »", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownTopLevelKey_IsReported()
    {
        var result = Read("""
            id: cle
            themes:
              - id: t
                title: T
                questions:
                  - id: t.q
                    label: Q
            indicateurs: []
            """);

        var problem = SingleProblem(result);
        Assert.Equal(8, problem.Line);
        Assert.Contains("clé inconnue « indicateurs »", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingIdAndThemes_ReportsBoth()
    {
        var result = Read("""
            title: Sans rien
            """);

        Assert.False(result.Succeeded);
        Assert.Equal(2, result.Problems.Count);
        Assert.Contains(result.Problems, p => p.Message.Contains("« id » manquant", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.Message.Contains("« themes »", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_ThemeWithoutQuestions_IsReported()
    {
        var result = Read("""
            id: vide
            themes:
              - id: t
                title: T
                questions: []
            """);

        var problem = SingleProblem(result);
        Assert.Equal(5, problem.Line);
        Assert.Contains("thème t", problem.Message, StringComparison.Ordinal);
        Assert.Contains("questions", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_YamlSyntaxError_ReportsOneProblemWithLine()
    {
        var result = Read("""
            id: syntaxe
            title: a: b
            themes: []
            """);

        var problem = SingleProblem(result);
        Assert.Equal(Source, problem.Source);
        Assert.Equal(2, problem.Line);
        Assert.NotNull(problem.Column);
        Assert.Contains("syntaxe YAML invalide", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnclosedFlowSequence_ReportsSyntaxProblem()
    {
        var result = Read("""
            id: syntaxe
            themes: [
              {id: t, title: T
            """);

        var problem = SingleProblem(result);
        Assert.NotNull(problem.Line);
        Assert.Contains("syntaxe YAML invalide", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DuplicateKey_ReportsProblemWithLine()
    {
        var result = Read("""
            id: double
            id: encore
            themes:
              - id: t
                title: T
                questions:
                  - id: t.q
                    label: Q
            """);

        var problem = SingleProblem(result);
        Assert.Equal(2, problem.Line);
    }

    [Fact]
    public void Read_EmptyDocument_ReportsProblem()
    {
        var result = Read("");

        var problem = SingleProblem(result);
        Assert.Equal(Source, problem.Source);
        Assert.Null(problem.Line);
        Assert.Contains("un seul document", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ListAtRoot_ReportsProblem()
    {
        var result = Read("""
            - id: t
              title: T
            """);

        var problem = SingleProblem(result);
        Assert.Equal(Source, problem.Source);
        Assert.Contains("une table", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TwoDocuments_ReportsProblem()
    {
        var result = Read("""
            id: un
            ---
            id: deux
            """);

        var problem = SingleProblem(result);
        Assert.Contains("un seul document", problem.Message, StringComparison.Ordinal);
    }

    private const string ThreeLevelScale = """
        id: trois
        scale:
          - {level: 0, label: Non}
          - {level: 1, label: En partie}
          - {level: 2, label: Oui}
        themes:
          - id: t
            title: T
            questions:
        """;

    [Fact]
    public void Read_ThreeLevelScale_LoadsWithThreeHelpTexts()
    {
        var model = ReadValid(ThreeLevelScale + """

                  - id: t.q
                    label: Q
                    help: [non, en partie, oui]
                  - id: t.r
                    label: R
                    help: {0: rien, 1: un peu, 2: tout}
            indicators:
              - id: complet
                question: t.q
                predicate: ">= 2"
                statement: "{value} ont tout"
            """);

        Assert.Equal(3, model.Scale.Count);
        Assert.Equal(2, model.Scale.MaxLevel);
        Assert.Equal(["Non", "En partie", "Oui"], model.Scale.Levels.Select(l => l.Label));
        Assert.Equal(["non", "en partie", "oui"], model.Questions[0].Help);
        Assert.Equal(["rien", "un peu", "tout"], model.Questions[1].Help);
        Assert.Equal(">= 2", Assert.Single(model.Indicators).Predicate.ToString());
    }

    [Theory]
    [InlineData(">= 3")]
    [InlineData("<= 3")]
    [InlineData("= 3")]
    [InlineData("=4")]
    public void Read_ThreeLevelScale_PredicateAboveScaleIsReported(string predicate)
    {
        var result = Read(ThreeLevelScale + $"""

                  - id: t.q
                    label: Q
            indicators:
              - id: haut
                question: t.q
                predicate: "{predicate}"
            """);

        var problem = SingleProblem(result);
        Assert.Equal(Source, problem.Source);
        Assert.Equal(15, problem.Line);
        Assert.Contains("indicateur haut", problem.Message, StringComparison.Ordinal);
        Assert.Contains("hors de l'échelle (0 à 2)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ThreeLevelScale_FiveHelpTextsAreReported()
    {
        var result = Read(ThreeLevelScale + """

                  - id: t.q
                    label: Q
                    help: [a, b, c, d, e]
            """);

        var problem = SingleProblem(result);
        Assert.Equal(12, problem.Line);
        Assert.Contains("question t.q", problem.Message, StringComparison.Ordinal);
        Assert.Contains("3 niveaux", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ThreeLevelScale_HelpTableBeyondScaleIsReported()
    {
        var result = Read(ThreeLevelScale + """

                  - id: t.q
                    label: Q
                    help:
                      0: a
                      1: b
                      3: d
            """);

        Assert.False(result.Succeeded);
        var beyond = AssertProblem(result, 15, "question t.q", "« 3 »", "0 à 2");
        Assert.Equal(11, beyond.Column);
        AssertProblem(result, 13, "question t.q", "niveau(x) 2");
        Assert.Equal(2, result.Problems.Count);
    }

    [Fact]
    public void Read_HelpWithEmptyText_IsIncomplete()
    {
        var result = Read(ThreeLevelScale + """

                  - id: t.q
                    label: Q
                    help: [a, "  ", c]
            """);

        var problem = SingleProblem(result);
        Assert.Equal(12, problem.Line);
        Assert.Contains("niveau(x) 1", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[{level: 0, label: Seul}]", "2 à 10")]
    [InlineData("[{level: 0, label: A}, {level: 1}]", "« label » manquant")]
    [InlineData("[{level: 0, label: A}, {level: un, label: B}]", "« un »")]
    [InlineData("[{level: 1, label: A}, {level: 0, label: B}]", "devrait valoir 0")]
    public void Read_BadScale_IsReported(string scale, string fragment)
    {
        var result = Read($"""
            id: echelle
            scale: {scale}
            themes:
              - id: t
                title: T
                questions:
                  - id: t.q
                    label: Q
            """);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Problems, p => p.Line == 2 && p.Message.Contains(fragment, StringComparison.Ordinal));
    }

    [Fact]
    public void Read_SourceName_IsUsedInEveryProblem()
    {
        var result = Read("""
            id: source
            themes:
              - id: t
                questions:
                  - id: x
            """, "mon-fichier.yaml");

        Assert.False(result.Succeeded);
        Assert.True(result.Problems.Count >= 3);
        Assert.All(result.Problems, p => Assert.Equal("mon-fichier.yaml", p.Source));
    }

    [Fact]
    public void Read_FailedResult_GetValueOrThrowCarriesProblems()
    {
        var result = Read("""
            id: exception
            themes: []
            """);

        var exception = Assert.Throws<InvalidInputException>(() => result.GetValueOrThrow());
        Assert.Equal(result.Problems, exception.Problems);
        Assert.Equal(1, exception.ProblemCount);
        Assert.Equal(result.Problems[0].ToString(), exception.Message);
    }

    [Fact]
    public void Load_MissingFileNotShippedId_NamesShippedIds()
    {
        var path = Path.Combine(TestDataDirectory, "absent.yaml");

        var result = ModelFile.Load(path);

        Assert.False(result.Succeeded);
        Assert.Null(result.Value);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(path, problem.Source);
        Assert.Null(problem.Line);
        Assert.Null(problem.Column);
        Assert.Contains("introuvable", problem.Message, StringComparison.Ordinal);
        Assert.Contains("maturite-numerique-2019", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ShippedId_LoadsShippedModel()
    {
        var result = ModelFile.Load("maturite-numerique-2019");

        Assert.True(result.Succeeded, string.Join('\n', result.Problems));
        Assert.Equal("maturite-numerique-2019", result.Value!.Id);
        Assert.Equal(9, result.Value.Themes.Count);
        Assert.Equal(37, result.Value.Questions.Count);
    }

    [Fact]
    public void Load_FileWithBom_LoadsModel()
    {
        var path = Path.Combine(TestDataDirectory, "model-bom.yaml");
        Assert.Equal([0xEF, 0xBB, 0xBF], File.ReadAllBytes(path).Take(3));

        var result = ModelFile.Load(path);

        Assert.True(result.Succeeded, string.Join('\n', result.Problems));
        Assert.Equal("fichier-bom", result.Value!.Id);
        Assert.Equal("Référentiel avec BOM", result.Value.Title);
        Assert.Equal(["t.q1", "t.q2"], result.Value.Questions.Select(q => q.Id));
    }

    [Fact]
    public void Load_InvalidFile_ReportsPathAsSource()
    {
        var path = Path.Combine(TestDataDirectory, "model-invalid.yaml");

        var result = ModelFile.Load(path);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(path, problem.Source);
        Assert.Equal(6, problem.Line);
        Assert.Contains("t.inconnue", problem.Message, StringComparison.Ordinal);
    }
}
