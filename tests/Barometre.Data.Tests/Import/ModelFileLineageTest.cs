using Barometre.Core.Model;
using Barometre.Data.Import;

namespace Barometre.Data.Tests.Import;

/// <summary>The <c>follows:</c> block read from YAML and JSON, each mistake located; the earlier model is not needed yet.</summary>
public sealed class ModelFileLineageTest
{
    private const string Source = "apres.yaml";

    /// <summary>The later model, the <c>follows:</c> block in place of FOLLOWS, from line 3.</summary>
    private const string LaterTemplate = """
        id: apres
        edition: "2021"
        FOLLOWS
        scale:
          - { level: 0, label: Rien }
          - { level: 1, label: Réflexion }
          - { level: 2, label: Orientations }
          - { level: 3, label: Engagée }
          - { level: 4, label: Avancée }
          - { level: 5, label: Complète }
        themes:
          - id: strategie
            title: Stratégie
            questions:
              - { id: strategie.levier, label: Levier }
          - id: numerique-educatif
            title: Numérique éducatif
            questions:
              - { id: numerique-educatif.strategie, label: Stratégie éducative }
          - id: organisation
            title: Organisation
            questions:
              - { id: organisation.formation, label: Formation }
              - { id: organisation.clauses, label: Clauses }
        indicators:
          - { id: levier, question: strategie.levier, predicate: ">= 3" }
          - { id: edu-strategie, question: numerique-educatif.strategie, predicate: ">= 2" }
        """;

    private const string Follows = """
        follows:
          model: avant
          themes:
            numerique-educatif: education
            organisation: [rh, achats]
          questions:
            numerique-educatif.strategie: education.strategie
            organisation.formation: rh.formation
            organisation.clauses: achats.clauses
          indicators:
            edu-strategie: edu
          levels: {0: 0, 1: 1, 2: 2, 3: 3, 4: 5}
        """;

    private static string Later(string follows) => LaterTemplate.Replace("FOLLOWS", follows, StringComparison.Ordinal);

    private static ImportResult<MaturityModel> Read(string text)
    {
        using var reader = new StringReader(text);
        return ModelFile.Read(reader, Source);
    }

    private static InputProblem AssertProblem(ImportResult<MaturityModel> result, int line, int column, params string[] fragments)
    {
        Assert.False(result.Succeeded);
        var matching = result.Problems
            .Where(p => p.Line == line && p.Column == column && fragments.All(f => p.Message.Contains(f, StringComparison.Ordinal)))
            .ToList();
        Assert.True(
            matching.Count == 1,
            $"expected one problem at {line}:{column} containing [{string.Join(" | ", fragments)}], found {matching.Count} among:\n{string.Join('\n', result.Problems)}");
        Assert.Equal(Source, matching[0].Source);
        return matching[0];
    }

    private static void AssertLineage(ModelLineage? lineage)
    {
        Assert.NotNull(lineage);
        Assert.Equal("avant", lineage.Model);
        Assert.Equal(2, lineage.Themes.Count);
        Assert.Equal(["education"], lineage.Themes["numerique-educatif"]);
        Assert.Equal(["rh", "achats"], lineage.Themes["organisation"]);
        Assert.Equal(
            [("numerique-educatif.strategie", "education.strategie"), ("organisation.clauses", "achats.clauses"), ("organisation.formation", "rh.formation")],
            lineage.Questions.Select(p => (p.Key, p.Value)).Order());
        Assert.Equal([("edu-strategie", "edu")], lineage.Indicators.Select(p => (p.Key, p.Value)));
        Assert.Equal([(0, 0), (1, 1), (2, 2), (3, 3), (4, 5)], lineage.Levels!.Select(p => (p.Key, p.Value)));
    }

    [Fact]
    public void Read_FollowsInYaml_BuildsTheLineage()
    {
        var result = Read(Later(Follows));

        Assert.True(result.Succeeded, string.Join('\n', result.Problems));
        AssertLineage(result.Value!.Follows);
    }

    [Fact]
    public void Read_FollowsInJson_BuildsTheSameLineage()
    {
        var result = Read("""
            {
              "id": "apres",
              "follows": {
                "model": "avant",
                "themes": {"numerique-educatif": "education", "organisation": ["rh", "achats"]},
                "questions": {
                  "numerique-educatif.strategie": "education.strategie",
                  "organisation.formation": "rh.formation",
                  "organisation.clauses": "achats.clauses"
                },
                "indicators": {"edu-strategie": "edu"},
                "levels": {"0": 0, "1": 1, "2": 2, "3": 3, "4": 5}
              },
              "scale": [{"level": 0, "label": "Rien"}, {"level": 1, "label": "Réflexion"}, {"level": 2, "label": "Orientations"},
                        {"level": 3, "label": "Engagée"}, {"level": 4, "label": "Avancée"}, {"level": 5, "label": "Complète"}],
              "themes": [
                {"id": "numerique-educatif", "title": "Numérique éducatif", "questions": [{"id": "numerique-educatif.strategie", "label": "Stratégie"}]},
                {"id": "organisation", "title": "Organisation", "questions": [{"id": "organisation.formation", "label": "Formation"}, {"id": "organisation.clauses", "label": "Clauses"}]}
              ],
              "indicators": [{"id": "edu-strategie", "question": "numerique-educatif.strategie", "predicate": ">= 2"}]
            }
            """);

        Assert.True(result.Succeeded, string.Join('\n', result.Problems));
        AssertLineage(result.Value!.Follows);
    }

    [Fact]
    public void Read_OnlyTheModel_IsALineageWithEmptyMaps()
    {
        var result = Read(Later("follows: { model: avant }"));

        Assert.True(result.Succeeded, string.Join('\n', result.Problems));
        var lineage = result.Value!.Follows!;
        Assert.Equal("avant", lineage.Model);
        Assert.Empty(lineage.Themes);
        Assert.Empty(lineage.Questions);
        Assert.Empty(lineage.Indicators);
        Assert.Null(lineage.Levels);
    }

    [Fact]
    public void Read_WithoutFollows_FollowsNothing()
    {
        var result = Read(Later(""));

        Assert.True(result.Succeeded, string.Join('\n', result.Problems));
        Assert.Null(result.Value!.Follows);
    }

    [Fact]
    public void Read_FollowsNotATable_IsLocated()
    {
        AssertProblem(Read(Later("follows: avant")), 3, 10, "« follows » doit être une table");
    }

    [Fact]
    public void Read_FollowsWithAnUnknownKeyAndNoModel_ReportsBoth()
    {
        var result = Read(Later("""
            follows:
              theme:
                numerique-educatif: education
            """));

        AssertProblem(result, 4, 3, "« follows » : clé inconnue « theme »", "model, themes, questions, indicators, levels");
        AssertProblem(result, 4, 3, "« follows » : « model » manquant");
    }

    [Fact]
    public void Read_FollowingItself_IsLocated()
    {
        AssertProblem(Read(Later("follows: { model: apres }")), 3, 19, "ne peut pas se suivre lui-même");
    }

    [Fact]
    public void Read_MapsOfTheWrongType_AreLocated()
    {
        var result = Read(Later("""
            follows:
              model: avant
              themes: [education]
              questions: education.strategie
              levels: [0, 1]
            """));

        AssertProblem(result, 5, 11, "« follows.themes » doit être une table");
        AssertProblem(result, 6, 14, "« follows.questions » doit être une table");
        AssertProblem(result, 7, 11, "« follows.levels » doit être une table");
        Assert.Equal(3, result.Problems.Count);
    }

    [Fact]
    public void Read_IdsThisModelDoesNotHave_AreLocated()
    {
        var result = Read(Later("""
            follows:
              model: avant
              themes:
                education: education
              questions:
                numerique-educatif.equipements: education.equipements
              indicators:
                edu: edu
            """));

        AssertProblem(result, 6, 5, "« follows.themes » : le thème « education » n'existe pas dans ce référentiel");
        AssertProblem(result, 8, 5, "« follows.questions » : la question « numerique-educatif.equipements » n'existe pas dans ce référentiel");
        AssertProblem(result, 10, 5, "« follows.indicators » : l'indicateur « edu » n'existe pas dans ce référentiel");
        Assert.Equal(3, result.Problems.Count);
    }

    [Fact]
    public void Read_ThemeMappedToNothingUsable_IsLocated()
    {
        var result = Read(Later("""
            follows:
              model: avant
              themes:
                numerique-educatif: []
                organisation: { rh: achats }
                strategie: [strategie, [rh]]
            """));

        AssertProblem(result, 6, 25, "« follows.themes », « numerique-educatif » : attendu l'identifiant d'un thème de l'édition suivie, ou une liste non vide");
        AssertProblem(result, 7, 19, "« follows.themes », « organisation » : attendu l'identifiant d'un thème");
        AssertProblem(result, 8, 28, "« follows.themes », « strategie » : attendu un identifiant de l'édition suivie, pas « [liste] »");
        Assert.Equal(3, result.Problems.Count);
    }

    [Fact]
    public void Read_EarlierThemeClaimedTwice_IsLocatedAtTheSecondClaim()
    {
        var result = Read(Later("""
            follows:
              model: avant
              themes:
                numerique-educatif: education
                organisation: [rh, education]
            """));

        var problem = AssertProblem(result, 7, 24, "« follows.themes », « organisation » : le thème « education » de l'édition suivie a déjà pour successeur « numerique-educatif »");
        Assert.Single(result.Problems);
        Assert.Equal("apres.yaml:7:24: « follows.themes », « organisation » : le thème « education » de l'édition suivie a déjà pour successeur « numerique-educatif » ; chaque élément de l'édition suivie en a un au plus", problem.ToString());
    }

    [Fact]
    public void Read_QuestionMappedTwice_IsLocatedAtTheSecondMapping()
    {
        var result = Read(Later("""
            follows:
              model: avant
              questions:
                organisation.formation: rh.formation
                organisation.clauses: rh.formation
            """));

        AssertProblem(result, 7, 27, "« follows.questions », « organisation.clauses » : la question « rh.formation » de l'édition suivie a déjà pour successeur « organisation.formation »");
        Assert.Single(result.Problems);
    }

    [Fact]
    public void Read_LaterIdGivenTwice_IsLocated()
    {
        // YAML refuses a key given twice before the block is read; a quoted key with a blank reaches the block.
        var twice = Read(Later("""
            follows:
              model: avant
              questions:
                organisation.formation: rh.formation
                organisation.formation: rh.outils
            """));
        var blank = Read(Later("""
            follows:
              model: avant
              questions:
                organisation.formation: rh.formation
                "organisation.formation ": rh.outils
            """));

        var duplicate = Assert.Single(twice.Problems);
        Assert.Equal(7, duplicate.Line);
        Assert.Contains("syntaxe YAML invalide", duplicate.Message, StringComparison.Ordinal);
        AssertProblem(blank, 7, 5, "« follows.questions » : la question « organisation.formation » figure deux fois");
    }

    [Fact]
    public void Read_QuestionMappedToAList_IsLocated()
    {
        var result = Read(Later("""
            follows:
              model: avant
              questions:
                organisation.formation: [rh.formation, rh.outils]
            """));

        AssertProblem(result, 6, 29, "« follows.questions », « organisation.formation » : attendu un identifiant de l'édition suivie, pas « [liste] »");
    }

    [Fact]
    public void Read_LevelsThatAreNotIntegers_AreLocated()
    {
        var result = Read(Later("""
            follows:
              model: avant
              levels:
                0: 0
                un: 1
                2: 1.5
                -3: 3
                4: [5]
            """));

        AssertProblem(result, 7, 5, "« follows.levels » : le niveau de l'édition suivie doit être un entier positif ou nul, pas « un »");
        AssertProblem(result, 8, 8, "« follows.levels » : la traduction du niveau 2 doit être un entier positif ou nul, pas « 1.5 »");
        AssertProblem(result, 9, 5, "pas « -3 »");
        AssertProblem(result, 10, 8, "la traduction du niveau 4 doit être un entier positif ou nul, pas « [liste] »");
        Assert.Equal(4, result.Problems.Count);
    }

    [Fact]
    public void Read_LevelOutsideThisScale_IsLocated()
    {
        AssertProblem(Read(Later("follows: { model: avant, levels: {0: 0, 4: 6} }")), 3, 44, "« follows.levels » : le niveau 6 n'existe pas dans l'échelle de ce référentiel (niveaux 0 à 5)");
    }

    [Fact]
    public void Read_LevelTranslatedTwice_IsLocated()
    {
        AssertProblem(Read(Later("follows: { model: avant, levels: {0: 0, 1: 1, 01: 2} }")), 3, 47, "« follows.levels » : le niveau 1 est traduit deux fois");
    }

    [Fact]
    public void Read_LevelsReversingTheOrder_IsLocatedAtTheLaterEntry()
    {
        var result = Read(Later("""
            follows:
              model: avant
              levels:
                0: 0
                1: 3
                2: 2
            """));

        AssertProblem(result, 8, 5, "« follows.levels » : 1 → 3 puis 2 → 2 inverse l'ordre des niveaux");
        Assert.Single(result.Problems);
    }

    [Fact]
    public void Read_MistakesInTheBlock_ReportedWithTheRestOfTheFile()
    {
        var result = Read(Later("follows: { model: avant, themes: { inconnu: education } }").Replace("title: Stratégie", "titel: Stratégie", StringComparison.Ordinal));

        AssertProblem(result, 3, 36, "le thème « inconnu » n'existe pas dans ce référentiel");
        Assert.Contains(result.Problems, p => p.Message.Contains("clé inconnue « titel »", StringComparison.Ordinal));
    }
}
