using AngleSharp.Dom;
using Barometre.Core;
using Barometre.Core.Results;
using Barometre.Core.Synthetic;
using static Barometre.Reports.Tests.ReportFixtures;

namespace Barometre.Reports.Tests;

/// <summary>The study's HTML, read back with AngleSharp, against the results it was made from.</summary>
public sealed class StudyReportTest
{
    private static async Task<IDocument> SyntheticStudyAsync() => Parse(await SyntheticStudyHtml);

    private static async Task<IDocument> NamedStudyAsync() => Parse(await NamedStudyHtml);

    /// <summary>The statement of an indicator as the card prints it: without its leading value.</summary>
    private static string StatementRest(IndicatorResult indicator)
    {
        var prefix = FrenchFormat.Percent(indicator.Value!.Value);
        Assert.StartsWith(prefix, indicator.Statement, StringComparison.Ordinal);
        return Spaces(indicator.Statement[prefix.Length..]);
    }

    private static IElement SectionOf(IDocument document, string headingId) =>
        document.GetElementById(headingId)?.Closest("section") ?? throw new Xunit.Sdk.XunitException($"No section headed #{headingId}.");

    [Fact]
    public async Task RenderStudyAsync_Document_IsFrenchWithATitleAndOneH1()
    {
        var document = await SyntheticStudyAsync();

        Assert.Equal("fr", document.DocumentElement.GetAttribute("lang"));
        Assert.Contains(Model.Title, document.Title, StringComparison.Ordinal);
        var h1 = Assert.Single(document.QuerySelectorAll("h1"));
        Assert.Equal(Model.Title, Spaces(h1.TextContent));
    }

    [Fact]
    public async Task RenderStudyAsync_Headings_NeverSkipALevel()
    {
        AssertHeadingsNeverSkip(await SyntheticStudyAsync());
        AssertHeadingsNeverSkip(Parse(await RenderStudyAsync(Synthetic.Study(withRobustness: false))));
    }

    [Fact]
    public async Task RenderStudyAsync_KeyFigures_ShowEachComputedValueWithItsStatement()
    {
        var results = Synthetic.Results;
        var document = await SyntheticStudyAsync();
        var cards = document.QuerySelectorAll(".key-figure");

        var defined = results.Indicators.Where(i => i.Value is not null).ToList();
        Assert.Equal(Model.Indicators.Count, defined.Count);
        Assert.Equal(defined.Count, cards.Length);
        foreach (var indicator in defined)
        {
            var value = FrenchFormat.Percent(indicator.Value!.Value);
            var rest = StatementRest(indicator);
            var card = cards.FirstOrDefault(c =>
                c.QuerySelector(".value")?.TextContent.Trim() == value
                && string.Equals(Spaces(c.QuerySelector(".statement")!.TextContent), rest, StringComparison.OrdinalIgnoreCase));
            Assert.True(card is not null, $"No key figure shows {value} with « {rest} » ({indicator.Id}).");
            var statement = Spaces(card.QuerySelector(".statement")!.TextContent);
            Assert.True(char.IsUpper(statement[0]), $"« {statement} » should start with a capital.");
            var precision = Spaces(card.QuerySelector(".precision")!.TextContent);
            Assert.StartsWith($"n = {indicator.Answered}", precision, StringComparison.Ordinal);
            // 40 collectivités: every key figure rests on fewer than 100 answers and shows its interval.
            Assert.True(indicator.Answered < StudyFacts.SmallSample);
            var interval = Spaces($"{FrenchFormat.Percent(indicator.Ci95.Low!.Value)} – {FrenchFormat.Percent(indicator.Ci95.High!.Value)}");
            Assert.Contains("intervalle de confiance à 95 % : " + interval, precision, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RenderStudyAsync_LargePanel_ShowsNoIntervalFromOneHundredAnswers()
    {
        var panel = Build(SyntheticPanel.Generate(Model, new SyntheticPanelOptions { Respondents = 130, Seed = 5 }));
        var document = Parse(await RenderStudyAsync(panel.Study()));

        var large = panel.Results.Indicators.Where(i => i.Value is not null && i.Answered >= StudyFacts.SmallSample).ToList();
        Assert.NotEmpty(large);
        foreach (var indicator in panel.Results.Indicators.Where(i => i.Value is not null))
        {
            var card = document.QuerySelectorAll(".key-figure").Single(c =>
                c.QuerySelector(".value")!.TextContent.Trim() == FrenchFormat.Percent(indicator.Value!.Value)
                && string.Equals(Spaces(c.QuerySelector(".statement")!.TextContent), StatementRest(indicator), StringComparison.OrdinalIgnoreCase));
            var precision = Spaces(card.QuerySelector(".precision")!.TextContent);
            Assert.StartsWith("n = " + Spaces(FrenchFormat.Count(indicator.Answered)), precision, StringComparison.Ordinal);
            Assert.Equal(indicator.Answered < StudyFacts.SmallSample, precision.Contains("intervalle", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task RenderStudyAsync_Themes_EachHasASectionWithItsMeanAndRank()
    {
        var results = Synthetic.Results;
        var document = await SyntheticStudyAsync();
        var ranked = results.Themes.Count(t => t.Rank is not null);

        Assert.Equal(Model.Themes.Count, ranked);
        for (var t = 0; t < Model.Themes.Count; t++)
        {
            var theme = results.Themes[t];
            var heading = document.QuerySelectorAll("section > .theme-head > h2")
                .SingleOrDefault(h => Spaces(h.TextContent) == $"{t + 1}. {Model.Themes[t].Title}");
            Assert.True(heading is not null, $"No section for theme « {Model.Themes[t].Title} ».");
            var score = Spaces(heading.ParentElement!.QuerySelector(".score")!.TextContent);
            Assert.Equal($"Score moyen {FrenchFormat.Number(theme.Mean!.Value, 1)}/100 · {Ordinal(theme.Rank!.Value)} sur {ranked}", score);
            // The theme's own questions are charted with their data table.
            var section = heading.Closest("section")!;
            var rows = section.QuerySelectorAll("figure details table tbody tr");
            Assert.Equal(Model.Themes[t].Questions.Count, rows.Length);
        }
    }

    [Fact]
    public async Task RenderStudyAsync_RankingChart_ListsThemesByRankWithTheirMeans()
    {
        var results = Synthetic.Results;
        var document = await SyntheticStudyAsync();
        var chart = document.QuerySelector("#essentiel")!.Closest("section")!.QuerySelector("figure");

        Assert.NotNull(chart);
        var rows = chart.QuerySelectorAll("details table tbody tr");
        var byRank = results.Themes.Where(t => t.Rank is not null).OrderBy(t => t.Rank).ToList();
        Assert.Equal(byRank.Count, rows.Length);
        for (var i = 0; i < byRank.Count; i++)
        {
            var cells = rows[i].QuerySelectorAll("td, th").Select(c => Spaces(c.TextContent)).ToList();
            Assert.Equal((i + 1).ToString(FrenchFormat.Numbers), cells[0]);
            Assert.Equal(byRank[i].Title, cells[1]);
            Assert.Equal(FrenchFormat.Number(byRank[i].Mean!.Value, 1), cells[2]);
        }
        Assert.Equal(byRank.Count, chart.QuerySelectorAll("svg rect[height='16']").Length);
    }

    [Fact]
    public async Task RenderStudyAsync_Correlations_HeatmapAndEveryStrongPairNamed()
    {
        var correlations = Synthetic.Results.Correlations;
        var document = await SyntheticStudyAsync();
        var section = SectionOf(document, "correlations");

        var heatmap = section.QuerySelector("figure svg");
        Assert.NotNull(heatmap);
        var t = Model.Themes.Count;
        Assert.Equal(t, section.QuerySelectorAll("figure details table tbody tr").Length);
        var strong = new List<(int I, int J, double R)>();
        for (var i = 0; i < t; i++)
        {
            for (var j = i + 1; j < t; j++)
            {
                if (correlations.Pearson[i][j] is { } r && correlations.PValues[i][j] is { } p && Math.Abs(r) >= 0.6 && p < 0.05)
                {
                    strong.Add((i, j, r));
                }
            }
        }
        Assert.NotEmpty(strong); // the fixture panel has strongly correlated themes; otherwise this test checks nothing
        var items = section.QuerySelectorAll("ul li").Select(li => Spaces(li.TextContent)).ToList();
        Assert.Equal(strong.Count, items.Count);
        foreach (var (i, j, r) in strong)
        {
            var expected = $"« {Model.Themes[i].Title} » et « {Model.Themes[j].Title} » : r = {FrenchFormat.Number(r, 2)}";
            Assert.Contains(items, item => item.StartsWith(expected, StringComparison.Ordinal));
        }
        // Each strong pair is outlined twice in the heatmap (both halves of the matrix).
        Assert.Equal(2 * strong.Count, heatmap.QuerySelectorAll("rect[stroke-width='2.5']").Length);
    }

    [Fact]
    public async Task RenderStudyAsync_SegmentsAndTakeaways_AreShown()
    {
        var results = Synthetic.Results;
        var document = await SyntheticStudyAsync();

        var segments = SectionOf(document, "segments");
        Assert.Equal("Stratèges, pragmatiques, retardataires", Spaces(document.GetElementById("segments")!.TextContent));
        Assert.NotNull(segments.QuerySelector("figure#profils svg"));
        var groups = results.Segments.Groups.Where(g => g.Size > 0).ToList();
        Assert.Equal(3, groups.Count);
        var rows = segments.QuerySelectorAll("table > tbody > tr").Where(r => r.Closest("details") is null).ToList();
        Assert.Equal(groups.Select(g => g.Label), rows.Select(r => Spaces(r.QuerySelector("th")!.TextContent)));
        Assert.Equal(groups.Select(g => FrenchFormat.Number(g.MeanIndex!.Value, 1)), rows.Select(r => Spaces(r.QuerySelectorAll("td")[1].TextContent)));

        var takeaways = SectionOf(document, "retenir");
        Assert.Equal("Ce qu'il faut retenir", Spaces(document.GetElementById("retenir")!.TextContent));
        var items = takeaways.QuerySelectorAll("li").Select(li => Spaces(li.TextContent)).ToList();
        Assert.True(items.Count >= 4, $"Only {items.Count} takeaways.");
        var best = results.Themes.Single(t => t.Rank == 1);
        Assert.Contains(items, item => item.Contains($"« {best.Title} »", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RenderStudyAsync_WithRobustness_ShowsTheDrawCount()
    {
        var document = await SyntheticStudyAsync();
        var section = SectionOf(document, "robustesse");
        var text = Spaces(section.TextContent);

        Assert.Contains($"repris {RobustnessOptions.Draws} fois", text, StringComparison.Ordinal);
        Assert.Contains($"(graine {RobustnessOptions.Seed})", text, StringComparison.Ordinal);
        Assert.DoesNotContain("pas disponible", text, StringComparison.Ordinal);
        Assert.Equal(2, section.QuerySelectorAll("figure svg").Length);
        Assert.Contains(
            document.QuerySelectorAll("#retenir ~ ul li"),
            li => Spaces(li.TextContent).Contains($"des {RobustnessOptions.Draws} tirages", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RenderStudyAsync_FromResultsOnly_SaysRobustnessIsUnavailable()
    {
        var document = Parse(await RenderStudyAsync(Synthetic.Study(withRobustness: false)));
        var section = SectionOf(document, "robustesse");

        Assert.Contains("n'est pas disponible", Spaces(section.TextContent), StringComparison.Ordinal);
        Assert.Empty(section.QuerySelectorAll("svg, table"));
        // The rest of the study is unaffected.
        Assert.Equal(Model.Indicators.Count, document.QuerySelectorAll(".key-figure").Length);
        Assert.DoesNotContain("Face aux choix de pondération", Spaces(SectionOf(document, "retenir").TextContent), StringComparison.Ordinal);
        Assert.DoesNotContain("indice de Rand ajusté", Spaces(section.TextContent), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderStudyAsync_Document_IsSelfContained()
    {
        AssertSelfContained(await SyntheticStudyAsync());
        AssertSelfContained(await NamedStudyAsync());
    }

    [Fact]
    public async Task RenderStudyAsync_Document_HasNoUndefinedNumbers()
    {
        AssertNoUndefinedNumbers(await SyntheticStudyAsync());
        AssertNoUndefinedNumbers(await NamedStudyAsync());
        AssertNoUndefinedNumbers(Parse(await RenderStudyAsync(Synthetic.Study(withRobustness: false))));
    }

    [Fact]
    public async Task RenderStudyAsync_Svgs_AreLabelledImagesAndChartsHaveDataTables()
    {
        var document = await SyntheticStudyAsync();

        AssertSvgsAccessible(document);
        foreach (var id in new[] { "classement", "heatmap", "profils" }.Concat(Model.Themes.Select(t => Charts.Svg.Id("niveaux", t.Id))))
        {
            var figure = document.GetElementById(id);
            Assert.True(figure is not null, $"No chart #{id}.");
            Assert.True(figure.QuerySelector("details > table > tbody > tr") is not null, $"Chart #{id} has no data table.");
        }
    }

    [Fact]
    public async Task RenderStudyAsync_Text_FollowsFrenchTypography()
    {
        AssertFrenchTypography(await SyntheticStudyAsync());
        AssertFrenchTypography(Parse(await RenderStudyAsync(Synthetic.Study(withRobustness: false))));
    }

    [Fact]
    public async Task RenderStudyAsync_DisplayedScores_UseADecimalComma()
    {
        var document = await SyntheticStudyAsync();
        var scores = document.QuerySelectorAll(".theme-head .score strong, td.num, svg text").Select(e => e.TextContent).ToList();

        Assert.NotEmpty(scores);
        Assert.DoesNotContain(scores, s => System.Text.RegularExpressions.Regex.IsMatch(s, @"\d\.\d"));
        Assert.Contains(scores, s => System.Text.RegularExpressions.Regex.IsMatch(s, @"^\d+,\d$"));
    }

    [Fact]
    public async Task RenderStudyAsync_MarkupInTypes_IsRenderedAsText()
    {
        var html = await NamedStudyHtml;
        var document = Parse(html);

        Assert.Empty(document.QuerySelectorAll("script"));
        Assert.DoesNotContain(Script, html, StringComparison.Ordinal);
        var composition = document.GetElementById("composition")!;
        var description = Spaces(composition.QuerySelector("desc")!.TextContent);
        Assert.Contains($"{HostileType} : 3", description, StringComparison.Ordinal);
        Assert.Contains("Syndicat mixte : 3", description, StringComparison.Ordinal);
        Assert.Contains("Non renseigné : 3", description, StringComparison.Ordinal);
        Assert.Contains(composition.QuerySelectorAll("svg text"), text => text.TextContent == HostileType);
    }

    [Fact]
    public async Task RenderStudyAsync_SyntheticPanel_ShowsTheFictitiousDataBanner()
    {
        var synthetic = await SyntheticStudyAsync();
        var named = await NamedStudyAsync();

        var banner = synthetic.QuerySelectorAll(".cover p").Where(p => p.TextContent.Contains("Données fictives", StringComparison.Ordinal)).ToList();
        Assert.Single(banner);
        Assert.Contains("barometre demo", banner[0].TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Données fictives", named.Body!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("panel synthétique", named.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderStudyAsync_PanelMixingSyntheticAndOtherCodes_HasNoBanner()
    {
        var synthetic = Synthetic.Responses;
        var respondents = synthetic.Respondents.Select((r, i) => i == 0 ? r with { Code = "REAL01" } : r).ToList();
        var panel = Build(new Core.Responses.ResponseSet(Model, respondents, synthetic.Cells));

        var document = Parse(await RenderStudyAsync(panel.Study()));

        Assert.DoesNotContain("Données fictives", document.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderStudyAsync_TinyPanel_SaysSegmentsAreNotComputedAndPrintsNoUndefinedNumber()
    {
        // Two collectivités, one of which answered nothing: no segments, no correlations, themes scored once.
        var q = Model.Questions.Count;
        var cells = Synthetic.Responses.Row(0).ToArray().Concat(Enumerable.Repeat(Core.Responses.CellCode.Blank, q)).ToArray();
        var panel = Build(new Core.Responses.ResponseSet(Model, [new("A1", "Alpha"), new("B2", "Bêta")], cells));

        var document = Parse(await RenderStudyAsync(panel.Study()));

        Assert.Contains("trop peu de collectivités", Spaces(SectionOf(document, "segments").TextContent), StringComparison.Ordinal);
        Assert.Contains("Aucun couple de thèmes n'est fortement corrélé", Spaces(SectionOf(document, "correlations").TextContent), StringComparison.Ordinal);
        AssertNoUndefinedNumbers(document);
        AssertSvgsAccessible(document);
        AssertHeadingsNeverSkip(document);
    }

    [Fact]
    public async Task RenderStudyAsync_Cover_NamesTheModelByItsTitleAndPointsToTheMethod()
    {
        var document = await SyntheticStudyAsync();
        var meta = document.QuerySelector(".cover .meta")!;

        Assert.Contains($"au référentiel « {Model.Title} », édition {Model.Edition}.", Spaces(meta.TextContent), StringComparison.Ordinal);
        Assert.DoesNotContain(Model.Id, meta.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("page", meta.TextContent, StringComparison.Ordinal);
        Assert.Equal("#methode", meta.QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("Méthode", Spaces(document.GetElementById("methode")!.TextContent));
    }

    [Fact]
    public async Task RenderStudyAsync_SegmentShares_AddUpTo100()
    {
        var document = await SyntheticStudyAsync();
        var groups = Synthetic.Results.Segments.Groups.Where(g => g.Size > 0).ToList();
        // Rounded one by one, 11, 15 and 14 of 40 would print 28 + 38 + 35 = 101 %.
        Assert.Equal(Synthetic.Results.Respondents, groups.Sum(g => g.Size));

        var cells = SectionOf(document, "segments").QuerySelectorAll("table").Single(t => t.QuerySelector("caption")?.TextContent == "Les segments").QuerySelectorAll("tbody tr").Select(row => Spaces(row.QuerySelectorAll("td")[0].TextContent)).ToList();
        var shares = cells.Select(cell => int.Parse(System.Text.RegularExpressions.Regex.Match(cell, @"\((\d+) %\)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(100, shares.Sum());
        Assert.Equal(FrenchFormat.WholePercents([.. groups.Select(g => (long)g.Size)]), shares);
        var takeaway = Spaces(SectionOf(document, "retenir").TextContent);
        Assert.All(groups.Zip(shares), pair => Assert.Contains($"{pair.First.Label.ToLowerInvariant()} ({pair.Second} %)", takeaway, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RenderStudyAsync_Robustness_SaysHowMuchTheSegmentsDependOnTheSeed()
    {
        var seeds = Synthetic.SeedStability!;
        var document = await SyntheticStudyAsync();
        var text = Spaces(SectionOf(document, "robustesse").TextContent);

        Assert.Contains($"la graine {Synthetic.Results.Parameters.Seed} fixe ce tirage", text, StringComparison.Ordinal);
        Assert.Contains($"Reprise avec {seeds.Runs} autres graines ({seeds.Seeds[0]} à {seeds.Seeds[^1]})", text, StringComparison.Ordinal);
        Assert.Contains($"vaut en moyenne {FrenchFormat.Number(seeds.MeanAdjustedRand, 2)}", text, StringComparison.Ordinal);
        var method = Spaces(SectionOf(document, "methode").TextContent);
        Assert.Contains($"reprise avec {seeds.Runs} autres graines des k-moyennes", method, StringComparison.Ordinal);
        Assert.Contains($"Graine {Synthetic.Results.Parameters.Seed},", method, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.21, true)]
    [InlineData(0.25, true)]
    [InlineData(0.26, false)]
    public async Task RenderStudyAsync_WeakSilhouette_WarnsBesideTheSegments(double silhouette, bool warns)
    {
        var results = Synthetic.Results with { Segments = Synthetic.Results.Segments with { Silhouette = silhouette } };
        var document = Parse(await RenderStudyAsync(new StudyReportData(Model, results, null, Date)));

        var segments = Spaces(SectionOf(document, "segments").TextContent);
        Assert.Equal(warns, segments.Contains($"Segments peu marqués : la silhouette moyenne, {FrenchFormat.Number(silhouette, 2)}, ne dépasse pas 0,25", StringComparison.Ordinal));
        Assert.Equal(!warns, segments.Contains("aux profils de maturité distincts", StringComparison.Ordinal));
        Assert.Contains("Kaufman et Rousseeuw", Spaces(SectionOf(document, "methode").TextContent), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderStudyAsync_Takeaways_AgreeWithTheNumberOfStableThemes()
    {
        var stable = Synthetic.Robustness.Themes.Count(t => t.KeepRankShare >= 0.9);
        var text = Spaces(SectionOf(await SyntheticStudyAsync(), "retenir").TextContent);

        var expected = stable switch
        {
            0 => $"aucun des {Model.Themes.Count} thèmes ne garde son rang",
            1 => $"1 thème sur {Model.Themes.Count} garde son rang",
            _ when stable == Model.Themes.Count => $"les {stable} thèmes gardent leur rang",
            _ => $"{stable} thèmes sur {Model.Themes.Count} gardent leur rang",
        };
        Assert.Contains($"Face aux choix de pondération, {expected} dans au moins 90 %", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderStudyAsync_HeatmapLegend_SpansTheValuesShown()
    {
        // Every correlation of the synthetic panel is positive: the legend runs from 0, not from −1.
        var pearson = Synthetic.Results.Correlations.Pearson;
        Assert.All(pearson.SelectMany(row => row), r => Assert.True(r is null or >= 0));
        var max = pearson.SelectMany((row, i) => row.Where((_, j) => j != i)).Max()!.Value;
        var positive = LegendLabels(await SyntheticStudyAsync());
        Assert.Equal(["0", FrenchFormat.Number(Math.Ceiling(max * 10) / 10, Math.Ceiling(max * 10) % 10 == 0 ? 0 : 1)], positive);

        // One negative pair: the legend reaches below 0 (to the tenth) and marks 0, where the colours turn.
        var rows = pearson.Select(row => row.ToArray()).ToArray();
        rows[0][1] = rows[1][0] = -0.43;
        var results = Synthetic.Results with { Correlations = Synthetic.Results.Correlations with { Pearson = rows } };
        var mixed = LegendLabels(Parse(await RenderStudyAsync(new StudyReportData(Model, results, null, Date))));
        Assert.Equal("−0,5", mixed[0]);
        Assert.Contains("0", mixed);

        static List<string> LegendLabels(IDocument document) =>
            [.. document.GetElementById("heatmap")!.Closest("figure")!.QuerySelectorAll("svg text[fill]")
                .Where(text => text.GetAttribute("font-size") == "10.5").Select(text => Spaces(text.TextContent))];
    }
}
