using Barometre.Core.Model;
using Barometre.Data.Import;
using static Barometre.Data.Tests.Import.LineageFiles;

namespace Barometre.Data.Tests.Import;

/// <summary>The <c>follows:</c> block read from YAML and JSON, each mistake located; the earlier model is not needed yet.</summary>
public sealed class ModelFileLineageTest
{
    private static ImportResult<MaturityModel> Read(string text)
    {
        using var reader = new StringReader(text);
        return ModelFile.Read(reader, LaterSource);
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
        Assert.Equal(("avant", 0, 0, 0, null), (lineage.Model, lineage.Themes.Count, lineage.Questions.Count, lineage.Indicators.Count, lineage.Levels));
    }

    [Fact]
    public void Read_WithoutFollows_FollowsNothing()
    {
        var result = Read(Later(""));

        Assert.True(result.Succeeded, string.Join('\n', result.Problems));
        Assert.Null(result.Value!.Follows);
    }

    /// <summary>
    /// A <c>follows:</c> block (from line 3 of the file) with mistakes, and every problem it must give: line, column and
    /// the start of the message.
    /// </summary>
    public static TheoryData<string, string, (int Line, int Column, string Message)[]> Mistakes { get; } = new()
    {
        { "not a table", "follows: avant", [(3, 10, "« follows » doit être une table (clés permises : model, themes, questions, indicators, levels)")] },
        {
            "unknown key, no model",
            """
            follows:
              theme:
                numerique-educatif: education
            """,
            [(4, 3, "« follows » : clé inconnue « theme » (clés permises : model, themes, questions, indicators, levels)"), (4, 3, "« follows » : « model » manquant")]
        },
        { "following itself", "follows: { model: apres }", [(3, 19, "« follows » : le référentiel apres ne peut pas se suivre lui-même")] },
        {
            "maps of the wrong type",
            """
            follows:
              model: avant
              themes: [education]
              questions: education.strategie
              levels: [0, 1]
            """,
            [
                (5, 11, "« follows.themes » doit être une table"),
                (6, 14, "« follows.questions » doit être une table"),
                (7, 11, "« follows.levels » doit être une table"),
            ]
        },
        {
            "ids this model does not have",
            """
            follows:
              model: avant
              themes:
                education: education
              questions:
                numerique-educatif.equipements: education.equipements
              indicators:
                edu: edu
            """,
            [
                (6, 5, "« follows.themes » : le thème « education » n'existe pas dans ce référentiel"),
                (8, 5, "« follows.questions » : la question « numerique-educatif.equipements » n'existe pas dans ce référentiel"),
                (10, 5, "« follows.indicators » : l'indicateur « edu » n'existe pas dans ce référentiel"),
            ]
        },
        {
            "themes mapped to nothing usable",
            """
            follows:
              model: avant
              themes:
                numerique-educatif: []
                organisation: { rh: achats }
                strategie: [strategie, [rh]]
            """,
            [
                (6, 25, "« follows.themes », « numerique-educatif » : attendu l'identifiant d'un thème de l'édition suivie, ou une liste non vide"),
                (7, 19, "« follows.themes », « organisation » : attendu l'identifiant d'un thème"),
                (8, 28, "« follows.themes », « strategie » : attendu un identifiant de l'édition suivie, pas « [liste] »"),
            ]
        },
        {
            "earlier theme claimed twice",
            """
            follows:
              model: avant
              themes:
                numerique-educatif: education
                organisation: [rh, education]
            """,
            [(7, 24, "« follows.themes », « organisation » : le thème « education » de l'édition suivie a déjà pour successeur « numerique-educatif » ; chaque élément de l'édition suivie en a un au plus")]
        },
        {
            "earlier question mapped twice",
            """
            follows:
              model: avant
              questions:
                organisation.formation: rh.formation
                organisation.clauses: rh.formation
            """,
            [(7, 27, "« follows.questions », « organisation.clauses » : la question « rh.formation » de l'édition suivie a déjà pour successeur « organisation.formation »")]
        },
        {
            // YAML refuses a key written twice; one that differs by a blank, quoted, reaches the block.
            "later question given twice",
            """
            follows:
              model: avant
              questions:
                organisation.formation: rh.formation
                organisation.formation: rh.outils
            """,
            [(7, 5, "syntaxe YAML invalide")]
        },
        {
            "later question given twice, one with a blank",
            """
            follows:
              model: avant
              questions:
                organisation.formation: rh.formation
                "organisation.formation ": rh.outils
            """,
            [(7, 5, "« follows.questions » : la question « organisation.formation » figure deux fois")]
        },
        {
            "question mapped to a list",
            """
            follows:
              model: avant
              questions:
                organisation.formation: [rh.formation, rh.outils]
            """,
            [(6, 29, "« follows.questions », « organisation.formation » : attendu un identifiant de l'édition suivie, pas « [liste] »")]
        },
        {
            "levels that are not integers",
            """
            follows:
              model: avant
              levels:
                0: 0
                un: 1
                2: 1.5
                -3: 3
                4: [5]
            """,
            [
                (7, 5, "« follows.levels » : le niveau de l'édition suivie doit être un entier positif ou nul, pas « un »"),
                (8, 8, "« follows.levels » : la traduction du niveau 2 doit être un entier positif ou nul, pas « 1.5 »"),
                (9, 5, "« follows.levels » : le niveau de l'édition suivie doit être un entier positif ou nul, pas « -3 »"),
                (10, 8, "« follows.levels » : la traduction du niveau 4 doit être un entier positif ou nul, pas « [liste] »"),
            ]
        },
        {
            "level outside this scale",
            "follows: { model: avant, levels: {0: 0, 4: 6} }",
            [(3, 44, "« follows.levels » : le niveau 6 n'existe pas dans l'échelle de ce référentiel (niveaux 0 à 5)")]
        },
        { "level translated twice", "follows: { model: avant, levels: {0: 0, 1: 1, 01: 2} }", [(3, 47, "« follows.levels » : le niveau 1 est traduit deux fois")] },
        {
            "levels reversing the order",
            """
            follows:
              model: avant
              levels:
                0: 0
                1: 3
                2: 2
            """,
            [(8, 5, "« follows.levels » : 1 → 3 puis 2 → 2 inverse l'ordre des niveaux ; la correspondance doit garder l'ordre de l'échelle")]
        },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void Read_MistakesInTheBlock_AreEachLocated(string mistake, string follows, (int Line, int Column, string Message)[] expected)
    {
        var result = Read(Later(follows));

        Assert.False(result.Succeeded, mistake);
        Assert.Equal(expected.Length, result.Problems.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            var problem = result.Problems[i];
            Assert.Equal((LaterSource, expected[i].Line, expected[i].Column), (problem.Source, problem.Line!.Value, problem.Column!.Value));
            Assert.StartsWith(expected[i].Message, problem.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Read_MistakesInTheBlock_ReportedWithTheRestOfTheFile()
    {
        var result = Read(Later("follows: { model: avant, themes: { inconnu: education } }").Replace("title: Stratégie", "titel: Stratégie", StringComparison.Ordinal));

        Assert.Equal(
            [
                "apres.yaml:3:36: « follows.themes » : le thème « inconnu » n'existe pas dans ce référentiel",
                "apres.yaml:12:5: thème strategie : « title » manquant",
                "apres.yaml:13:5: thème strategie : clé inconnue « titel » (clés permises : id, title, short, weight, description, questions)",
            ],
            result.Problems.Select(p => p.ToString()));
    }
}
