using Barometre.Core.Model;
using Barometre.Core.Responses;

namespace Barometre.Core.Tests.Model;

public sealed class EditionMappingTest
{
    private const sbyte Nsp = CellCode.DontKnow, Blank = CellCode.Blank;

    private static Theme Theme(string id, params string[] questions) =>
        new(id, id, 1, questions.Select(name => new Question($"{id}.{name}", name)));

    private static Indicator Indicator(string id, string question, string predicate)
    {
        Assert.True(Predicate.TryParse(predicate, out var parsed));
        return new Indicator(id, question, parsed, "");
    }

    private static KeyValuePair<string, IReadOnlyList<string>> Themes(string later, params string[] earlier) => new(later, earlier);

    private static KeyValuePair<string, string> Id(string later, string earlier) => new(later, earlier);

    /// <summary>
    /// 2019: strategie (levier, pilotage), services (enligne, mediation), education (strategie, equipements),
    /// territoire (supervision), rh (formation, outils), achats (clauses).
    /// </summary>
    private static MaturityModel Earlier(Scale? scale = null, params Indicator[] indicators) => new(
        "avant",
        "Avant",
        scale,
        [
            Theme("strategie", "levier", "pilotage"),
            Theme("services", "enligne", "mediation"),
            Theme("education", "strategie", "equipements"),
            Theme("territoire", "supervision"),
            Theme("rh", "formation", "outils"),
            Theme("achats", "clauses"),
        ],
        indicators.Length > 0
            ? indicators
            :
            [
                Indicator("levier", "strategie.levier", ">= 3"),
                Indicator("mediation", "services.mediation", "<= 2"),
                Indicator("edu", "education.strategie", ">= 2"),
                Indicator("supervision", "territoire.supervision", "<= 2"),
                Indicator("formation", "rh.formation", "= 0"),
            ],
        edition: "2019");

    /// <summary>
    /// 2021: strategie kept, services kept without mediation, education renamed numerique-educatif, rh and achats
    /// merged into organisation, territoire dropped, inclusion new (with services.mediation moved into it). Given
    /// other indicators than its own, the lineage loses its indicator map, whose key they no longer hold.
    /// </summary>
    private static MaturityModel Later(ModelLineage? follows = null, Scale? scale = null, params Indicator[] indicators)
    {
        follows ??= Lineage();
        if (indicators.Length > 0)
        {
            follows = new ModelLineage(follows.Model, follows.Themes, follows.Questions, [], follows.Levels);
        }
        return LaterModel(follows, scale, indicators.Length > 0
            ? indicators
            :
            [
                Indicator("levier", "strategie.levier", ">= 3"),
                Indicator("mediation", "inclusion.mediation", "<= 2"),
                Indicator("edu-strategie", "numerique-educatif.strategie", ">= 2"),
                Indicator("formation", "organisation.formation", "= 0"),
                Indicator("accessibilite", "inclusion.accessibilite", ">= 3"),
            ]);
    }

    private static MaturityModel LaterModel(ModelLineage follows, Scale? scale, IEnumerable<Indicator> indicators) => new(
        "apres",
        "Après",
        scale,
        [
            Theme("strategie", "levier", "pilotage"),
            Theme("services", "enligne"),
            Theme("numerique-educatif", "strategie", "equipements"),
            Theme("organisation", "formation", "outils", "clauses"),
            Theme("inclusion", "mediation", "accessibilite"),
        ],
        indicators,
        edition: "2021",
        follows: follows);

    private static ModelLineage Lineage(string model = "avant", IEnumerable<KeyValuePair<int, int>>? levels = null) => new(
        model,
        [Themes("numerique-educatif", "education"), Themes("organisation", "rh", "achats")],
        [
            Id("numerique-educatif.strategie", "education.strategie"),
            Id("numerique-educatif.equipements", "education.equipements"),
            Id("organisation.formation", "rh.formation"),
            Id("organisation.outils", "rh.outils"),
            Id("organisation.clauses", "achats.clauses"),
            Id("inclusion.mediation", "services.mediation"),
        ],
        [Id("edu-strategie", "edu")],
        levels);

    /// <summary>A six-level scale: the 2019 one with « Mise en œuvre avancée » between 3 and the last.</summary>
    private static Scale SixLevels() => new(
    [
        new ScaleLevel(0, "Sujet non abordé"),
        new ScaleLevel(1, "Réflexion engagée"),
        new ScaleLevel(2, "Orientations formalisées"),
        new ScaleLevel(3, "Mise en œuvre engagée"),
        new ScaleLevel(4, "Mise en œuvre avancée"),
        new ScaleLevel(5, "Mise en œuvre complète et effective"),
    ]);

    private static KeyValuePair<int, int>[] NewFourthLevel => [new(0, 0), new(1, 1), new(2, 2), new(3, 3), new(4, 5)];

    private static EditionMapping Mapping() => new(Earlier(), Later());

    private static ThemeComparison ThemeOf(EditionMapping mapping, string id) => mapping.Themes[mapping.Later.IndexOfTheme(id)];

    private static IndicatorComparison IndicatorOf(EditionMapping mapping, string id) => mapping.Indicators.Single(i => i.Indicator.Id == id);

    [Fact]
    public void Themes_KeptRenamedMergedAndNew_ContinueTheirEarlierThemes()
    {
        var mapping = Mapping();

        Assert.Equal(["strategie", "services", "numerique-educatif", "organisation", "inclusion"], mapping.Themes.Select(t => t.Theme.Id));
        Assert.Equal(
            [["strategie"], ["services"], ["education"], ["rh", "achats"], []],
            mapping.Themes.Select(t => t.EarlierThemes.Select(e => e.Id).ToArray()));
        Assert.Equal([false, false, false, true, false], mapping.Themes.Select(t => t.IsMerge));
        Assert.Equal([false, false, false, false, true], mapping.Themes.Select(t => t.IsNew));
        Assert.Equal([true, true, true, true, false], mapping.Themes.Select(t => t.IsComparable));
        Assert.Equal("nouveau thème, sans équivalent dans l'édition 2019", ThemeOf(mapping, "inclusion").Reason);
    }

    [Fact]
    public void Themes_EarlierQuestions_AreTheUnionOfTheEarlierThemes()
    {
        var mapping = Mapping();

        // Earlier model order: strategie 0–1, services 2–3, education 4–5, territoire 6, rh 7–8, achats 9.
        Assert.Equal([0, 1], ThemeOf(mapping, "strategie").EarlierQuestionIndexes);
        Assert.Equal([2, 3], ThemeOf(mapping, "services").EarlierQuestionIndexes);
        Assert.Equal([4, 5], ThemeOf(mapping, "numerique-educatif").EarlierQuestionIndexes);
        Assert.Equal([7, 8, 9], ThemeOf(mapping, "organisation").EarlierQuestionIndexes);
        Assert.Empty(ThemeOf(mapping, "inclusion").EarlierQuestionIndexes);
    }

    [Fact]
    public void Themes_SameQuestions_OnlyWhereNoQuestionCameOrWent()
    {
        var mapping = Mapping();

        // services lost services.mediation to inclusion; inclusion is new.
        Assert.Equal([true, false, true, true, false], mapping.Themes.Select(t => t.SameQuestions));
    }

    [Fact]
    public void Themes_UsesPublishedScore_OnlyForOneEarlierThemeOnAnUntranslatedScale()
    {
        Assert.Equal([true, true, true, false, false], Mapping().Themes.Select(t => t.UsesPublishedScore));

        var translated = new EditionMapping(Earlier(), Later(Lineage(levels: [new(0, 0), new(1, 1), new(2, 2), new(3, 3), new(4, 4)])));
        Assert.All(translated.Themes, t => Assert.False(t.UsesPublishedScore));
    }

    [Fact]
    public void EarlierScore_KeptTheme_IsThePublishedScoreBitForBit()
    {
        var mapping = Mapping();
        var earlier = mapping.Earlier;
        sbyte[] row = [3, 2, 4, Nsp, 1, 1, 0, 2, 3, 4];

        for (var t = 0; t < 3; t++)
        {
            var theme = mapping.Themes[t];
            var index = earlier.IndexOfTheme(theme.EarlierThemes[0].Id);
            var published = Scoring.ThemeScore(row.AsSpan(earlier.FirstQuestionOfTheme[index], earlier.Themes[index].Questions.Count), earlier.Scale.ScoreFactor);
            Assert.Equal(published, theme.EarlierScore(row));
        }
        // python3 -c "print((3 + 2) / 2 * 25)"  -> 62.5
        Assert.Equal(62.5, mapping.Themes[0].EarlierScore(row));
    }

    [Fact]
    public void EarlierScore_MergedTheme_ScoresTheUnionOfTheEarlierThemes()
    {
        var mapping = Mapping();
        var organisation = ThemeOf(mapping, "organisation");

        // rh (formation 2, outils 3) and achats (clauses 4): python3 -c "print((2 + 3 + 4) / 3 * 25)"  -> 75.0
        Assert.Equal(75.0, organisation.EarlierScore([0, 0, 0, 0, 0, 0, 0, 2, 3, 4]), 12);
        // achats unanswered: two of three answered, scored: python3 -c "print((2 + 3) / 2 * 25)"  -> 62.5
        Assert.Equal(62.5, organisation.EarlierScore([0, 0, 0, 0, 0, 0, 0, 2, 3, Blank]), 12);
        // Only achats answered: published achats score 100, but one of three is fewer than half: no merged score.
        Assert.True(double.IsNaN(organisation.EarlierScore([0, 0, 0, 0, 0, 0, 0, Blank, Nsp, 4])));
    }

    [Fact]
    public void EarlierScore_NewTheme_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => ThemeOf(Mapping(), "inclusion").EarlierScore(new sbyte[10]));
    }

    [Fact]
    public void EarlierScore_RowOfAnotherLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => Mapping().Themes[0].EarlierScore(new sbyte[9]));
    }

    [Fact]
    public void Questions_SameIdMappedAndNew()
    {
        var mapping = Mapping();

        Assert.Equal(
            [
                ("strategie.levier", "strategie.levier", 0), ("strategie.pilotage", "strategie.pilotage", 1), ("services.enligne", "services.enligne", 2),
                ("numerique-educatif.strategie", "education.strategie", 4), ("numerique-educatif.equipements", "education.equipements", 5),
                ("organisation.formation", "rh.formation", 7), ("organisation.outils", "rh.outils", 8), ("organisation.clauses", "achats.clauses", 9),
                ("inclusion.mediation", "services.mediation", 3), ("inclusion.accessibilite", null, -1),
            ],
            mapping.Questions.Select(q => (q.Question.Id, q.EarlierQuestion?.Id, q.EarlierIndex)));
        Assert.Equal(9, mapping.Questions.Count(q => q.IsComparable));
        Assert.Equal("nouvelle question, sans équivalent dans l'édition 2019", mapping.Questions[^1].Reason);
    }

    [Fact]
    public void Indicators_SameIdRenamedAndNew()
    {
        var mapping = Mapping();

        Assert.Equal(
            [("levier", "levier"), ("mediation", "mediation"), ("edu-strategie", "edu"), ("formation", "formation"), ("accessibilite", null)],
            mapping.Indicators.Select(i => (i.Indicator.Id, i.EarlierIndicator?.Id)));
        Assert.Equal([true, true, true, true, false], mapping.Indicators.Select(i => i.IsComparable));
        Assert.Equal("nouvel indicateur, sans équivalent dans l'édition 2019", IndicatorOf(mapping, "accessibilite").Reason);
    }

    [Fact]
    public void Indicators_OnAQuestionThatDoesNotContinueTheEarlierOne_AreNotComparable()
    {
        var mapping = new EditionMapping(Earlier(), Later(indicators: Indicator("levier", "strategie.pilotage", ">= 3")));

        var levier = Assert.Single(mapping.Indicators);
        Assert.False(levier.IsComparable);
        Assert.Equal(
            "l'indicateur compte la question « strategie.pilotage », qui ne continue pas la question « strategie.levier » que comptait l'indicateur « levier » dans l'édition 2019",
            levier.Reason);
    }

    [Fact]
    public void Indicators_WithAnotherPredicate_AreNotComparable()
    {
        var mapping = new EditionMapping(Earlier(), Later(indicators: Indicator("levier", "strategie.levier", ">= 4")));

        Assert.Equal(
            "« >= 4 » ne compte pas les mêmes réponses que « >= 3 » dans l'édition 2019 : le niveau 3 de l'édition 2019 est compté d'un côté et pas de l'autre",
            Assert.Single(mapping.Indicators).Reason);
    }

    [Fact]
    public void Indicators_WithPredicatesCountingTheSameLevels_AreComparable()
    {
        // « <= 4 » and « >= 0 » both count every level of a five-level scale.
        var mapping = new EditionMapping(
            Earlier(null, Indicator("tout", "strategie.levier", ">= 0")),
            Later(indicators: Indicator("tout", "strategie.levier", "<= 4")));

        Assert.True(Assert.Single(mapping.Indicators).IsComparable);
    }

    [Fact]
    public void NotComparable_ListsDroppedBeforeAndNewAfter()
    {
        var mapping = Mapping();

        Assert.Equal(
            [
                new NotComparable(MeasureKind.Theme, "territoire", "thème abandonné, sans équivalent dans l'édition 2021"),
                new NotComparable(MeasureKind.Question, "territoire.supervision", "question abandonnée, sans équivalent dans l'édition 2021"),
                new NotComparable(MeasureKind.Indicator, "supervision", "indicateur abandonné, sans équivalent dans l'édition 2021"),
            ],
            mapping.NotComparableBefore);
        Assert.Equal(
            [
                new NotComparable(MeasureKind.Theme, "inclusion", "nouveau thème, sans équivalent dans l'édition 2019"),
                new NotComparable(MeasureKind.Question, "inclusion.accessibilite", "nouvelle question, sans équivalent dans l'édition 2019"),
                new NotComparable(MeasureKind.Indicator, "accessibilite", "nouvel indicateur, sans équivalent dans l'édition 2019"),
            ],
            mapping.NotComparableAfter);
    }

    [Fact]
    public void NotComparableBefore_NamesEarlierIndicatorsContinuedByIncomparableOnes()
    {
        var mapping = new EditionMapping(Earlier(), Later(indicators: Indicator("levier", "strategie.levier", ">= 4")));

        var levier = mapping.NotComparableBefore.Single(n => n.Id == "levier");
        Assert.Equal(MeasureKind.Indicator, levier.Kind);
        Assert.Equal(Assert.Single(mapping.Indicators).Reason, levier.Reason);
    }

    [Fact]
    public void Levels_SameScale_AreThemselves()
    {
        var mapping = Mapping();

        Assert.True(mapping.LevelsComparable);
        Assert.False(mapping.TranslatesLevels);
        Assert.Equal([0, 1, 2, 3, 4], Enumerable.Range(0, 5).Select(mapping.TranslateLevel));
        Assert.Equal(CellCode.NotConcerned, mapping.TranslateCell(CellCode.NotConcerned));
        Assert.Throws<ArgumentOutOfRangeException>(() => mapping.TranslateLevel(5));
    }

    [Fact]
    public void Levels_OtherScaleWithoutLevels_NothingIsComparable()
    {
        var mapping = new EditionMapping(Earlier(), Later(scale: SixLevels(), indicators: Indicator("levier", "strategie.levier", ">= 3")));

        const string Reason = "les échelles diffèrent (5 niveaux dans l'édition 2019, 6 dans l'édition 2021) et aucune correspondance des niveaux (« levels ») n'est donnée";
        Assert.False(mapping.LevelsComparable);
        Assert.Equal(Reason, mapping.LevelsReason);
        Assert.All(mapping.Themes.Where(t => !t.IsNew), t => Assert.Equal(Reason, t.Reason));
        Assert.All(mapping.Questions.Where(q => q.EarlierQuestion is not null), q => Assert.Equal(Reason, q.Reason));
        Assert.Equal(Reason, Assert.Single(mapping.Indicators).Reason);
        Assert.Equal(6 + 10 + 5, mapping.NotComparableBefore.Count);
        Assert.Equal(5 + 10 + 1, mapping.NotComparableAfter.Count);
        Assert.Throws<InvalidOperationException>(() => mapping.TranslateLevel(0));
    }

    [Fact]
    public void Levels_OtherScaleWithLevels_TranslatesAndScoresOnTheLaterScale()
    {
        var mapping = new EditionMapping(Earlier(), Later(Lineage(levels: NewFourthLevel), SixLevels(), Indicator("levier", "strategie.levier", ">= 3")));

        Assert.True(mapping.TranslatesLevels);
        Assert.Equal([0, 1, 2, 3, 5], Enumerable.Range(0, 5).Select(mapping.TranslateLevel));
        Assert.Equal(CellCode.DontKnow, mapping.TranslateCell(CellCode.DontKnow));
        Assert.All(mapping.Themes.Where(t => !t.IsNew), t => Assert.True(t.IsComparable));
        // strategie 2019: levier 4 → 5, pilotage 3 → 3, on six levels (× 100/5): python3 -c "print((5 + 3) / 2 * 20)"  -> 80.0
        Assert.Equal(80.0, mapping.Themes[0].EarlierScore([4, 3, 0, 0, 0, 0, 0, 0, 0, 0]), 12);
    }

    [Fact]
    public void Levels_MapLeavingAnEarlierLevelOut_NothingIsComparable()
    {
        var mapping = new EditionMapping(Earlier(), Later(Lineage(levels: [new(0, 0), new(1, 1), new(3, 3), new(4, 5)]), SixLevels()));

        Assert.Equal("la correspondance des niveaux (« levels ») ne traduit pas le niveau 2 dans l'édition 2019", mapping.LevelsReason);
        Assert.All(mapping.Themes, t => Assert.False(t.IsComparable));
    }

    [Theory]
    [InlineData(">= 3", ">= 3", null)]
    [InlineData("<= 2", "<= 2", null)]
    [InlineData("= 0", "= 0", null)]
    [InlineData("= 4", "= 5", "le niveau 4 de l'édition 2021 n'a pas d'équivalent dans l'édition 2019 et se trouve entre un niveau que « = 5 » compte et un niveau qu'il ne compte pas : rien ne dit de quel côté le ranger")]
    [InlineData(">= 3", ">= 4", "« >= 4 » ne compte pas les mêmes réponses que « >= 3 » dans l'édition 2019 : le niveau 3 de l'édition 2019 est compté d'un côté et pas de l'autre")]
    [InlineData(">= 4", ">= 4", "le niveau 4 de l'édition 2021 n'a pas d'équivalent dans l'édition 2019 et se trouve entre un niveau que « >= 4 » compte et un niveau qu'il ne compte pas : rien ne dit de quel côté le ranger")]
    [InlineData(">= 4", ">= 5", "le niveau 4 de l'édition 2021 n'a pas d'équivalent dans l'édition 2019 et se trouve entre un niveau que « >= 5 » compte et un niveau qu'il ne compte pas : rien ne dit de quel côté le ranger")]
    [InlineData("<= 3", "<= 3", "le niveau 4 de l'édition 2021 n'a pas d'équivalent dans l'édition 2019 et se trouve entre un niveau que « <= 3 » compte et un niveau qu'il ne compte pas : rien ne dit de quel côté le ranger")]
    [InlineData("= 4", ">= 4", "le niveau 4 de l'édition 2021 n'a pas d'équivalent dans l'édition 2019 et se trouve entre un niveau que « >= 4 » compte et un niveau qu'il ne compte pas : rien ne dit de quel côté le ranger")]
    [InlineData("= 4", "= 4", "« = 4 » ne compte pas les mêmes réponses que « = 4 » dans l'édition 2019 : le niveau 4 de l'édition 2019, devenu le niveau 5, est compté d'un côté et pas de l'autre")]
    public void Indicators_NewIntermediateLevel_ComparableOnlyWithoutAGuess(string before, string after, string? reason)
    {
        var mapping = new EditionMapping(
            Earlier(null, Indicator("levier", "strategie.levier", before)),
            Later(Lineage(levels: NewFourthLevel), SixLevels(), Indicator("levier", "strategie.levier", after)));

        Assert.Equal(reason, Assert.Single(mapping.Indicators).Reason);
    }

    [Fact]
    public void Indicators_NewLevelAtTheEnd_IsCountedAsItsNeighbour()
    {
        // A new lowest level 0: earlier 0..4 become 1..5.
        KeyValuePair<int, int>[] levels = [new(0, 1), new(1, 2), new(2, 3), new(3, 4), new(4, 5)];

        var atMost = new EditionMapping(
            Earlier(null, Indicator("levier", "strategie.levier", "<= 1")),
            Later(Lineage(levels: levels), SixLevels(), Indicator("levier", "strategie.levier", "<= 2")));
        var atLeast = new EditionMapping(
            Earlier(null, Indicator("levier", "strategie.levier", ">= 0")),
            Later(Lineage(levels: levels), SixLevels(), Indicator("levier", "strategie.levier", ">= 1")));

        Assert.True(Assert.Single(atMost.Indicators).IsComparable);
        Assert.Equal(
            "« >= 1 » ne compte pas le niveau 0 de l'édition 2021, sans équivalent dans l'édition 2019, à la différence des niveaux qui l'entourent",
            Assert.Single(atLeast.Indicators).Reason);
    }

    [Fact]
    public void SameModel_EveryMeasureIsItself()
    {
        var model = Earlier();

        var mapping = new EditionMapping(model, model);

        Assert.Empty(EditionMapping.Validate(model, model));
        Assert.All(mapping.Themes, t => Assert.Equal(t.Theme.Id, Assert.Single(t.EarlierThemes).Id));
        Assert.All(mapping.Questions, q => Assert.Same(q.Question, q.EarlierQuestion));
        Assert.All(mapping.Indicators, i => Assert.True(i.IsComparable));
        Assert.Empty(mapping.NotComparableBefore);
        Assert.Empty(mapping.NotComparableAfter);
    }

    [Fact]
    public void Validate_ModelWithoutLineage_IsAProblem()
    {
        var later = new MaturityModel("apres", null, null, [Theme("strategie", "levier")], []);

        var problem = Assert.Single(EditionMapping.Validate(Earlier(), later));

        Assert.Equal(new LineageProblem(LineageSection.Model, null, null, "le référentiel apres ne déclare pas l'édition qu'il suit (« follows ») : il ne peut pas être comparé à avant"), problem);
    }

    [Fact]
    public void Validate_LineageOfAnotherModel_IsTheOnlyProblem()
    {
        var problem = Assert.Single(EditionMapping.Validate(Earlier(), Later(Lineage("autre"))));

        Assert.Equal(LineageSection.Model, problem.Section);
        Assert.Equal("« follows.model » désigne autre, pas avant, le référentiel de l'édition comparée", problem.Message);
    }

    [Fact]
    public void Validate_EntriesClaimingEarlierIdsTheyMayNotHave_AreEachNamed()
    {
        // Unknown earlier ids (a rename, one id of a merge, a question, an indicator), and earlier ids already continued
        // by the later measure of the same id, which no entry maps (the theme strategie, the question
        // services.enligne, the indicator levier).
        var lineage = new ModelLineage(
            "avant",
            [Themes("numerique-educatif", "educaton"), Themes("organisation", "rh", "achat"), Themes("inclusion", "strategie")],
            [Id("inclusion.mediation", "services.mediatoin"), Id("inclusion.accessibilite", "services.enligne")],
            [Id("edu-strategie", "e-education"), Id("accessibilite", "levier")]);

        var problems = EditionMapping.Validate(Earlier(), Later(lineage));

        Assert.Equal(
            [
                (LineageSection.Themes, "numerique-educatif", "educaton"),
                (LineageSection.Themes, "organisation", "achat"),
                (LineageSection.Themes, "inclusion", "strategie"),
                (LineageSection.Questions, "inclusion.mediation", "services.mediatoin"),
                (LineageSection.Questions, "inclusion.accessibilite", "services.enligne"),
                (LineageSection.Indicators, "edu-strategie", "e-education"),
                (LineageSection.Indicators, "accessibilite", "levier"),
            ],
            problems.Select(p => (p.Section, p.Key!, p.Value!)));
        Assert.Equal(
            [
                "« follows.themes », « organisation » : le thème « achat » n'existe pas dans avant (thèmes : strategie, services, education, territoire, rh, achats)",
                "« follows.themes », « inclusion » : le thème « strategie » de avant est déjà repris par « strategie », qui porte le même identifiant dans ce référentiel : donnez à « strategie » sa propre correspondance, ou un autre identifiant",
                "« follows.questions », « inclusion.mediation » : la question « services.mediatoin » n'existe pas dans avant",
                "« follows.indicators », « edu-strategie » : l'indicateur « e-education » n'existe pas dans avant (indicateurs : levier, mediation, edu, supervision, formation)",
            ],
            [problems[1].Message, problems[2].Message, problems[3].Message, problems[5].Message]);
        Assert.Throws<ArgumentException>(() => new EditionMapping(Earlier(), Later(lineage)));
    }

    [Fact]
    public void Validate_SameIdMappedElsewhere_FreesTheEarlierId()
    {
        // Swapping two themes' names: each later theme has its own entry, so no earlier id is claimed twice.
        var lineage = new ModelLineage(
            "avant",
            [Themes("strategie", "services"), Themes("services", "strategie")],
            [Id("strategie.levier", "services.enligne"), Id("strategie.pilotage", "services.mediation"), Id("services.enligne", "strategie.levier")]);
        var later = new MaturityModel("apres", null, null, [Theme("strategie", "levier", "pilotage"), Theme("services", "enligne")], [], follows: lineage);

        Assert.Empty(EditionMapping.Validate(Earlier(), later));
        var mapping = new EditionMapping(Earlier(), later);
        Assert.Equal(["services", "strategie"], mapping.Themes.Select(t => t.EarlierThemes[0].Id));
        Assert.Equal("services.enligne", mapping.Questions[0].EarlierQuestion!.Id);
        var dropped = mapping.NotComparableBefore.Where(n => n.Kind == MeasureKind.Question).Select(n => n.Id).ToList();
        Assert.Contains("strategie.pilotage", dropped);
        Assert.DoesNotContain("strategie.levier", dropped);
        Assert.DoesNotContain("services.mediation", dropped);
    }

    [Fact]
    public void Validate_LevelOutsideTheEarlierScale_IsAProblem()
    {
        var problem = Assert.Single(EditionMapping.Validate(Earlier(), Later(Lineage(levels: [new(0, 0), new(5, 5)]), SixLevels())));

        Assert.Equal(LineageSection.Levels, problem.Section);
        Assert.Equal("5", problem.Key);
        Assert.Equal("« follows.levels » : le niveau 5 n'existe pas dans l'échelle de avant (niveaux 0 à 4)", problem.Message);
    }
}
