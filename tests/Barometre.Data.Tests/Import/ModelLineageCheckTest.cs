using Barometre.Core.Model;
using Barometre.Data.Import;
using static Barometre.Data.Tests.Import.LineageFiles;

namespace Barometre.Data.Tests.Import;

/// <summary>A later model's lineage checked against the earlier model, each problem at its line and column of the later file.</summary>
public sealed class ModelLineageCheckTest
{



    private static MaturityModel Earlier()
    {
        using var reader = new StringReader(EarlierYaml);
        return ModelFile.Read(reader, "avant.yaml").GetValueOrThrow();
    }

    private static ModelText LaterText(string follows) => new(Later(follows), LaterSource);

    private static ImportResult<EditionMapping> Check(string follows) => ModelLineageCheck.Validate(Earlier(), LaterText(follows));

    private static string[] Problems(ImportResult<EditionMapping> result)
    {
        Assert.False(result.Succeeded);
        Assert.Null(result.Value);
        return [.. result.Problems.Select(p => p.ToString())];
    }

    [Fact]
    public void Validate_RenameMergeDropAndNew_Maps()
    {
        var result = Check(Follows);

        Assert.True(result.Succeeded, string.Join('\n', result.Problems));
        var mapping = result.Value!;
        Assert.Equal("avant", mapping.Earlier.Id);
        Assert.Equal("apres", mapping.Later.Id);
        Assert.Equal([0, 1, 2, 3, 5], Enumerable.Range(0, 5).Select(mapping.TranslateLevel));
        Assert.Equal(
            [["strategie"], ["education"], ["rh", "achats"], []],
            mapping.Themes.Select(t => t.EarlierThemes.Select(e => e.Id).ToArray()));
        Assert.Equal(
            [
                new NotComparable(MeasureKind.Theme, "territoire", "thème abandonné, sans équivalent dans l'édition 2021"),
                new NotComparable(MeasureKind.Question, "territoire.supervision", "question abandonnée, sans équivalent dans l'édition 2021"),
                new NotComparable(MeasureKind.Indicator, "supervision", "indicateur abandonné, sans équivalent dans l'édition 2021"),
            ],
            mapping.NotComparableBefore);
        Assert.Equal(["inclusion", "inclusion.mediation", "mediation"], mapping.NotComparableAfter.Select(n => n.Id));
    }

    [Fact]
    public void Validate_InJson_Maps()
    {
        var later = new ModelText(
            """
            {
              "id": "apres",
              "follows": {"model": "avant", "themes": {"pilotage": ["strategie", "rh"]}, "questions": {"pilotage.levier": "strategie.levier", "pilotage.formation": "rh.formation"}},
              "themes": [{"id": "pilotage", "title": "Pilotage", "questions": [{"id": "pilotage.levier", "label": "Levier"}, {"id": "pilotage.formation", "label": "Formation"}]}]
            }
            """,
            "apres.json");

        var result = ModelLineageCheck.Validate(Earlier(), later);

        Assert.True(result.Succeeded, string.Join('\n', result.Problems));
        var pilotage = Assert.Single(result.Value!.Themes);
        Assert.True(pilotage.IsMerge);
        Assert.True(pilotage.SameQuestions);
    }

    [Fact]
    public void Validate_UnknownEarlierIds_ReportedAtTheirLineAndColumn()
    {
        var result = Check("""
            follows:
              model: avant
              themes:
                numerique-educatif: educaton
                organisation: [rh, achat]
              questions:
                organisation.formation: rh.formaton
              indicators:
                edu-strategie: e-education
            """);

        Assert.Equal(
            [
                "apres.yaml:6:25: « follows.themes », « numerique-educatif » : le thème « educaton » n'existe pas dans avant (thèmes : strategie, education, rh, achats, territoire)",
                "apres.yaml:7:24: « follows.themes », « organisation » : le thème « achat » n'existe pas dans avant (thèmes : strategie, education, rh, achats, territoire)",
                "apres.yaml:9:29: « follows.questions », « organisation.formation » : la question « rh.formaton » n'existe pas dans avant",
                "apres.yaml:11:20: « follows.indicators », « edu-strategie » : l'indicateur « e-education » n'existe pas dans avant (indicateurs : levier, edu, supervision)",
            ],
            Problems(result));
    }

    [Fact]
    public void Validate_UnknownEarlierIdsInJson_ReportedAtTheirLineAndColumn()
    {
        var later = new ModelText(
            """
            {
              "id": "apres",
              "follows": {
                "model": "avant",
                "themes": {"pilotage": ["strategie", "rhh"]}
              },
              "themes": [{"id": "pilotage", "title": "Pilotage", "questions": [{"id": "pilotage.levier", "label": "Levier"}]}]
            }
            """,
            "apres.json");

        var problem = Assert.Single(ModelLineageCheck.Validate(Earlier(), later).Problems);

        Assert.Equal(("apres.json", 5, 42), (problem.Source, problem.Line, problem.Column));
        Assert.Contains("le thème « rhh » n'existe pas dans avant", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EarlierIdsAlsoClaimedBySameIds_ReportedAtTheEntry()
    {
        var result = Check("""
            follows:
              model: avant
              themes:
                inclusion: strategie
              questions:
                inclusion.mediation: strategie.levier
              indicators:
                mediation: levier
            """);

        Assert.Equal(
            [
                "apres.yaml:6:16: « follows.themes », « inclusion » : le thème « strategie » de avant est déjà repris par « strategie », qui porte le même identifiant dans ce référentiel : donnez à « strategie » sa propre correspondance, ou un autre identifiant",
                "apres.yaml:8:26: « follows.questions », « inclusion.mediation » : la question « strategie.levier » de avant est déjà reprise par « strategie.levier », qui porte le même identifiant dans ce référentiel : donnez à « strategie.levier » sa propre correspondance, ou un autre identifiant",
                "apres.yaml:10:16: « follows.indicators », « mediation » : l'indicateur « levier » de avant est déjà repris par « levier », qui porte le même identifiant dans ce référentiel : donnez à « levier » sa propre correspondance, ou un autre identifiant",
            ],
            Problems(result));
    }

    [Fact]
    public void Validate_LevelOutsideTheEarlierScale_ReportedAtItsKey()
    {
        var result = Check("""
            follows:
              model: avant
              levels:
                0: 0
                5: 4
            """);

        Assert.Equal(["apres.yaml:7:5: « follows.levels » : le niveau 5 n'existe pas dans l'échelle de avant (niveaux 0 à 4)"], Problems(result));
    }

    [Fact]
    public void Validate_FollowingAnotherModel_ReportedAtTheModel()
    {
        var result = Check("follows: { model: maturite-numerique-2019, themes: { inclusion: inconnu } }");

        Assert.Equal(["apres.yaml:3:19: « follows.model » désigne maturite-numerique-2019, pas avant, le référentiel de l'édition comparée"], Problems(result));
    }

    [Fact]
    public void Validate_NoFollows_ReportedForTheWholeFile()
    {
        var result = Check("");

        Assert.Equal(["apres.yaml: le référentiel apres ne déclare pas l'édition qu'il suit (« follows ») : il ne peut pas être comparé à avant"], Problems(result));
    }

    [Fact]
    public void Validate_InvalidLaterModel_ReportsItsOwnProblems()
    {
        var result = Check("follows: { model: avant, questions: { inclusion.mediation: [a, b] } }");

        var problem = Assert.Single(result.Problems);
        Assert.Equal((LaterSource, 3, 60), (problem.Source, problem.Line, problem.Column));
    }

    [Fact]
    public void Validate_SameModel_IsTheIdentity()
    {
        var earlier = Earlier();

        var result = ModelLineageCheck.Validate(earlier, new ModelText(EarlierYaml, "avant.yaml"));

        Assert.True(result.Succeeded, string.Join('\n', result.Problems));
        Assert.Empty(result.Value!.NotComparableBefore);
        Assert.Empty(result.Value.NotComparableAfter);
    }

    [Fact]
    public void Load_Shipped2021_MapsOnto2019()
    {
        var result = ModelLineageCheck.Load("maturite-numerique-2019", "maturite-numerique-2021");

        Assert.True(result.Succeeded, string.Join('\n', result.Problems));
        var mapping = result.Value!;
        Assert.True(mapping.LevelsComparable);
        Assert.False(mapping.TranslatesLevels);
        Assert.Equal(
            [
                ("strategie", "strategie"), ("services", "services"), ("inclusion", ""), ("numerique-educatif", "education"),
                ("administration", "administration"), ("donnee", "donnee"), ("amenagement", "amenagement"),
                ("ecosysteme", "ecosysteme"), ("cybersecurite", "cybersecurite"), ("numerique-responsable", ""),
            ],
            mapping.Themes.Select(t => (t.Theme.Id, string.Join('+', t.EarlierThemes.Select(e => e.Id)))));
        // services gave services.mediation to inclusion.
        Assert.Equal(["services", "inclusion", "numerique-responsable"], mapping.Themes.Where(t => !t.SameQuestions).Select(t => t.Theme.Id));
        Assert.Equal("services.mediation", mapping.Questions[mapping.Later.IndexOfQuestion("inclusion.mediation")].EarlierQuestion!.Id);
        Assert.Equal(
            ["territoire", "territoire.coconstruction", "territoire.supervision", "territoire.partenaires", "territoire.indicateurs", "co-construction", "sans-supervision"],
            mapping.NotComparableBefore.Select(n => n.Id));
        Assert.Equal(
            [
                (MeasureKind.Theme, "inclusion"), (MeasureKind.Theme, "numerique-responsable"),
                (MeasureKind.Question, "inclusion.accessibilite"), (MeasureKind.Question, "inclusion.accompagnement"), (MeasureKind.Question, "inclusion.competences"),
                (MeasureKind.Question, "numerique-responsable.strategie"), (MeasureKind.Question, "numerique-responsable.equipements"),
                (MeasureKind.Question, "numerique-responsable.achats"), (MeasureKind.Question, "numerique-responsable.ecoconception"),
                (MeasureKind.Indicator, "accessibilite-engagee"), (MeasureKind.Indicator, "sans-demarche-responsable"), (MeasureKind.Indicator, "reemploi-equipements"),
            ],
            mapping.NotComparableAfter.Select(n => (n.Kind, n.Id)));
        Assert.Equal("strategie-e-education", mapping.Indicators.Single(i => i.Indicator.Id == "strategie-numerique-educative").EarlierIndicator!.Id);
        Assert.Equal(14, mapping.Indicators.Count(i => i.IsComparable));
    }

    [Fact]
    public void Load_MissingEarlierModel_ReportsItAndTheLaterModelsProblems()
    {
        var path = Path.Combine(Path.GetTempPath(), $"apres-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, Later("follows: { model: avant, themes: { inconnu: education } }"));
        try
        {
            var result = ModelLineageCheck.Load("avant-absent.yaml", path);

            Assert.Equal(2, result.ProblemCount);
            Assert.Contains("introuvable", result.Problems[0].Message, StringComparison.Ordinal);
            Assert.Equal((path, 3), (result.Problems[1].Source, result.Problems[1].Line));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
