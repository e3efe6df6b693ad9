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

    // ---- Limits: size, depth, aliases; texts; encodings ----

    /// <summary>A valid model whose first theme holds <paramref name="questions"/> questions.</summary>
    internal static string ModelWithQuestions(int questions)
    {
        var text = new System.Text.StringBuilder("id: grand\nthemes:\n  - id: t\n    title: T\n    questions:\n");
        for (var q = 0; q < questions; q++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"      - {{id: t.q{q}, label: Question {q}, help: [Rien, Un peu, Moitié, Beaucoup, Tout]}}\n");
        }
        return text.ToString();
    }

    [Theory]
    [InlineData("title: ", "[", "]", 2, 8)]
    [InlineData("title: ", "{\"a\": ", "}", 2, 8)]
    [InlineData("title:\n  ", "- ", "", 3, 3)]
    public void Read_NestedFiftyThousandDeep_IsRefusedAtTheLevelPastTheLimit(string key, string open, string close, int line, int firstColumn)
    {
        var deep = string.Concat(Enumerable.Repeat(open, 50_000)) + "1" + string.Concat(Enumerable.Repeat(close, 50_000));

        var problem = SingleProblem(Read("id: profond\n" + key + deep + "\n"));

        // The model's table is the first level: the 32nd opening is the 33rd level.
        Assert.Equal((line, firstColumn + (31 * open.Length)), (problem.Line, problem.Column));
        Assert.Equal($"listes et tables imbriquées sur plus de {ModelFile.MaxDepth} niveaux : un référentiel en a 7", problem.Message);
    }

    [Fact]
    public void Read_NestedAtTheLimit_IsReadOnToTheModelsOwnProblems()
    {
        var deep = new string('[', ModelFile.MaxDepth - 1) + new string(']', ModelFile.MaxDepth - 1);

        var problem = SingleProblem(Read(ValidYaml.Replace("description: Un référentiel pour les tests.", "description: " + deep, StringComparison.Ordinal)));

        Assert.Equal("référentiel : « description » doit être un texte", problem.Message);
    }

    [Fact]
    public void Read_AliasesRepeatingThemesAndQuestions_AreRefusedWhereTheExpansionPassesTheLimit()
    {
        // 39 Ko: 2,150 aliases of a question in a theme, the theme repeated by 2,150 aliases (4,622,500 questions).
        const int Repeats = 2_150;
        var text = new System.Text.StringBuilder("id: bombe\nthemes:\n  - &t\n    id: t\n    title: T\n    questions:\n      - &q {id: t.q, label: Q}\n");
        for (var q = 0; q < Repeats; q++)
        {
            text.Append("      - *q\n");
        }
        for (var t = 0; t < Repeats; t++)
        {
            text.Append("  - *t\n");
        }
        Assert.InRange(text.Length, 38_000, 40_000);

        var problem = SingleProblem(Read(text.ToString()));

        // The theme is 7 nodes and 2,151 questions of 5: 10,762 nodes, 10,767 with the 5 before it. Each theme alias
        // adds 10,762: the 9th passes 100,000. Theme aliases start on line 2,158 (7 lines, then the question aliases).
        Assert.Equal((Repeats + 8 + 8, 5), (problem.Line, problem.Column));
        Assert.Equal("plus de 100\u202F000 éléments une fois les alias (*nom) remplacés par ce que désignent leurs ancres : un référentiel en a quelques milliers", problem.Message);
    }

    [Fact]
    public void Read_BillionLaughs_IsRefusedAtTheFirstAliasPastTheLimit()
    {
        var text = new System.Text.StringBuilder("id: rires\ndescription:\n  - &a0 [ha, ha, ha, ha, ha, ha, ha, ha, ha, ha]\n");
        for (var level = 1; level < 10; level++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"  - &a{level} [{string.Join(", ", Enumerable.Repeat($"*a{level - 1}", 10))}]\n");
        }

        var problem = SingleProblem(Read(text.ToString()));

        Assert.Equal(7, problem.Line);
        Assert.StartsWith("plus de 100\u202F000 éléments une fois les alias", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AliasesWithinTheLimit_AreExpanded()
    {
        var model = ReadValid("""
            id: partage
            themes:
              - id: t
                title: T
                questions:
                  - {id: t.a, label: A, help: &aide [Rien, Un peu, Moitié, Beaucoup, Tout]}
                  - {id: t.b, label: B, help: *aide}
            """);

        Assert.Equal(model.Questions[0].Help, model.Questions[1].Help);
    }

    [Fact]
    public void Read_AliasInsideItsOwnAnchor_IsRefused()
    {
        var problem = SingleProblem(Read("id: boucle\nthemes: &t [*t]\n"));

        Assert.Equal((2, 13), (problem.Line, problem.Column));
        Assert.Equal("alias « *t » à l'intérieur de son ancre : un référentiel n'est pas une structure récursive", problem.Message);
    }

    [Fact]
    public void Read_AliasBeforeItsAnchor_IsRefused()
    {
        var problem = SingleProblem(Read("id: avant\ntitle: *plus-loin\ndescription: &plus-loin texte\n"));

        Assert.Equal((2, 8), (problem.Line, problem.Column));
        Assert.Equal("alias « *plus-loin » sans ancre « &plus-loin » avant lui", problem.Message);
    }

    [Fact]
    public void Read_MoreNodesThanTheLimitWithoutAliases_IsRefused()
    {
        var problem = SingleProblem(Read("id: plat\ndescription: [" + string.Join(",", Enumerable.Repeat("1", ModelFile.MaxNodes)) + "]\n"));

        Assert.Equal(2, problem.Line);
        Assert.Equal("plus de 100\u202F000 éléments (textes, listes, tables) : un référentiel en a quelques milliers", problem.Message);
    }

    [Fact]
    public void Read_LargeValidModel_IsReadWithinTheLimits()
    {
        // 3,000 questions with help on each level: 7 times the questions of a national barometer.
        var text = ModelWithQuestions(3_000);
        Assert.InRange(text.Length, 0, ModelFile.MaxBytes);

        var model = ReadValid(text);

        Assert.Equal(3_000, model.Questions.Count);
    }

    [Fact]
    public void Read_TextLongerThanTheLimit_IsRefusedBeforeParsing()
    {
        var problem = SingleProblem(Read("id: long\ndescription: " + new string('x', ModelFile.MaxBytes)));

        Assert.Equal((null, null), (problem.Line, problem.Column));
        Assert.Equal("le référentiel dépasse 4\u202F194\u202F304 caractères : un référentiel en compte quelques dizaines de milliers", problem.Message);
    }

    [Theory]
    [InlineData("\u001b[31m", "caractère de contrôle U+001B : un référentiel n'en contient pas, hors tabulations et retours à la ligne")]
    [InlineData("\u0000", "caractère nul (U+0000) : le fichier n'est pas du texte UTF-8 (UTF-16 sans BOM ?) ; enregistrez-le en UTF-8")]
    [InlineData("\u0085", "caractère de contrôle U+0085 : un référentiel n'en contient pas, hors tabulations et retours à la ligne")]
    public void Read_ControlCharacterInTheFile_IsRefusedWhereItIs(string control, string message)
    {
        var problem = SingleProblem(Read($"id: x\ntitle: Titre {control}rouge\nthemes: []\n"));

        Assert.Equal((2, 14), (problem.Line, problem.Column));
        Assert.Equal(message, problem.Message);
    }

    [Fact]
    public void Read_EscapedControlCharacterInATitle_IsRefused()
    {
        var result = Read(ValidYaml.Replace("title: Gouvernance", "title: \"Gouver\\e[31mnance\"", StringComparison.Ordinal));

        var problem = AssertProblem(result, 16, "thème gouv : « title » contient un caractère de contrôle (U+001B, position 7)");
        Assert.Equal(1, result.ProblemCount);
        Assert.DoesNotContain(problem.Message, char.IsControl);
    }

    [Fact]
    public void Read_LineBreakInAnId_IsRefusedButAllowedInTexts()
    {
        var result = Read("""
            id: lignes
            description: "Première ligne\nseconde ligne"
            themes:
              - id: t
                title: "Thème\tsur deux\nlignes"
                description: "Ligne\tun\nLigne deux"
                questions:
                  - id: "t.q\nsuite"
                    label: |
                      Question
                      sur deux lignes
                    help: ["Rien\ndu tout", Un peu, Moitié, Beaucoup, Tout]
            """);

        var problem = AssertProblem(result, 8, "question : « id » contient un caractère de contrôle (U+000A, position 4) : il tient sur une ligne, sans caractère de contrôle.");
        Assert.Equal(1, result.ProblemCount);
        Assert.Equal(13, problem.Column);
        Assert.Equal("Pilo\ntage", ReadValid(ValidYaml.Replace("label: Pilotage", "label: |\n          Pilo\n          tage", StringComparison.Ordinal)).Questions[1].Label);
    }

    [Fact]
    public void Read_IdLongerThanTheLimit_IsRefused()
    {
        var id = new string('i', FieldLimits.Name + 1);

        var problem = SingleProblem(Read($"id: {id}\nthemes:\n  - id: t\n    title: T\n    questions: [{{id: t.q, label: Q}}]\n"));

        Assert.Equal((1, 5), (problem.Line, problem.Column));
        Assert.Equal($"référentiel : « id » dépasse {FieldLimits.Name} caractères ({FieldLimits.Name + 1}).", problem.Message);
    }

    [Fact]
    public void Read_WeightOfAMegabyte_IsQuotedInAHundredCharacters()
    {
        var weight = new string('k', 1_000_000);

        var problem = SingleProblem(Read($"id: x\nthemes:\n  - id: t\n    title: T\n    weight: {weight}\n    questions: [{{id: t.q, label: Q}}]\n"));

        Assert.Equal((5, 13), (problem.Line, problem.Column));
        Assert.Equal($"thème t : le poids (weight) doit être un nombre positif, pas « {new string('k', TextRules.QuotedLength)}… »", problem.Message);
    }

    [Fact]
    public void Read_ListAsKey_IsNamedNotWrittenOut()
    {
        var problem = SingleProblem(Read("id: x\n? [un, deux]\n: 1\nthemes:\n  - id: t\n    title: T\n    questions: [{id: t.q, label: Q}]\n"));

        Assert.Equal("référentiel : clé inconnue « [liste] » (clés permises : id, title, edition, description, scale, themes, indicators, follows)", problem.Message);
    }

    [Fact]
    public void Read_MoreProblemsThanReported_KeepsTheFirstAndCountsThemAll()
    {
        var text = new System.Text.StringBuilder("id: x\nthemes:\n  - id: t\n    title: T\n    questions: [{id: t.q, label: Q}]\n");
        for (var k = 0; k < 12_000; k++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"inconnue{k}: 1\n");
        }

        var result = Read(text.ToString());

        Assert.Equal(ImportResult<MaturityModel>.MaxReported, result.Problems.Count);
        Assert.Equal(12_000, result.ProblemCount);
        Assert.Equal(6, result.Problems[0].Line);
    }

    private static string TempFile(byte[] bytes)
    {
        var path = Path.Combine(Path.GetTempPath(), $"barometre-modele-{Guid.NewGuid():N}.yaml");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Load_Latin1File_IsRefusedAtItsFirstAccentAsTheUploadIs()
    {
        var bytes = System.Text.Encoding.Latin1.GetBytes(ValidYaml);
        var path = TempFile(bytes);
        try
        {
            var loaded = ModelFile.Load(path);
            var uploaded = ModelFile.ReadText(new MemoryStream(bytes), "essai.yaml");

            // « title: Référentiel d'essai », line 2: the « é » is the 9th character.
            var problem = SingleProblem(loaded);
            Assert.Equal((path, 2, 9), (problem.Source, problem.Line, problem.Column));
            Assert.Equal("le fichier n'est pas encodé en UTF-8 : enregistrez-le en UTF-8 et déposez-le à nouveau", problem.Message);
            Assert.Equal(problem with { Source = "essai.yaml" }, Assert.Single(uploaded.Problems));
            Assert.False(ModelFile.ReadText(path).Succeeded);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ReadText_Utf16WithByteOrderMark_IsReadAsWritten()
    {
        var bytes = (byte[])[.. System.Text.Encoding.Unicode.GetPreamble(), .. System.Text.Encoding.Unicode.GetBytes(ValidYaml)];

        var text = ModelFile.ReadText(new MemoryStream(bytes), "essai.yaml");

        Assert.Equal(ValidYaml, text.Value!.Text);
        Assert.Equal("Référentiel d'essai", ModelFile.Read(text.Value).Value!.Title);
    }

    [Fact]
    public void Load_FileLargerThanTheLimit_IsRefusedWithoutParsing()
    {
        var path = TempFile(System.Text.Encoding.UTF8.GetBytes("id: gros\ndescription: " + new string('x', ModelFile.MaxBytes)));
        try
        {
            var problem = SingleProblem(ModelFile.Load(path));

            Assert.Equal((path, null, null), (problem.Source, problem.Line, problem.Column));
            Assert.Equal("le fichier dépasse 4\u202FMio : un référentiel en fait quelques dizaines de Ko (celui de 2019 : 35 Ko pour 37 questions)", problem.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ReadText_StreamLargerThanTheLimit_StopsReadingAtTheLimit()
    {
        var stream = new MemoryStream(new byte[ModelFile.MaxBytes + 100_000]);

        var problem = Assert.Single(ModelFile.ReadText(stream, "flux.yaml").Problems);

        Assert.StartsWith("le fichier dépasse 4\u202FMio", problem.Message, StringComparison.Ordinal);
        Assert.Equal(ModelFile.MaxBytes + 1, stream.Position);
    }
}
