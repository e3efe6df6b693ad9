using AngleSharp.Dom;
using Barometre.Core;
using Barometre.Core.Publication;
using Barometre.Core.Responses;
using Barometre.Core.Synthetic;
using static Barometre.Reports.Tests.ReportFixtures;

namespace Barometre.Reports.Tests;

/// <summary>A collectivité's confidential report, read back with AngleSharp, against its panel's results and benchmark.</summary>
public sealed class IndividualReportTest
{
    private static async Task<IDocument> RenderAsync(ReportPanel panel, int index) => Parse(await RenderIndividualAsync(panel.Individual(index)));

    /// <summary>The rows of the « Vos scores par thème » table as cell texts.</summary>
    private static List<List<string>> ScoreRows(IDocument document)
    {
        var table = document.QuerySelectorAll("table").Single(t => t.QuerySelector("caption")?.TextContent.StartsWith("Vos scores par thème", StringComparison.Ordinal) == true);
        return [.. table.QuerySelectorAll("tbody tr").Select(r => r.QuerySelectorAll("th, td").Select(c => Spaces(c.TextContent)).ToList())];
    }

    private static string Score(double? score) => score is { } s ? FrenchFormat.Number(s, 1) : "—";

    /// <summary>A synthetic panel's answers under new types and populations (one entry per respondent).</summary>
    private static ResponseSet Panel(List<(string? Type, long? Population)> groups, int seed = 5)
    {
        var source = SyntheticPanel.Generate(Model, new SyntheticPanelOptions { Respondents = groups.Count, Seed = seed });
        var respondents = source.Respondents.Select((r, i) => r with { Type = groups[i].Type, Population = groups[i].Population, Region = null });
        return new ResponseSet(Model, respondents, source.Cells);
    }

    [Fact]
    public async Task RenderIndividualAsync_Header_NamesTheCollectiviteAndSaysConfidential()
    {
        var panel = Synthetic;
        var respondent = panel.Responses.Respondents[4];

        var document = await RenderAsync(panel, 4);

        Assert.Equal("fr", document.DocumentElement.GetAttribute("lang"));
        Assert.Equal(respondent.Name, Spaces(Assert.Single(document.QuerySelectorAll("h1")).TextContent));
        Assert.StartsWith(respondent.Name, document.Title, StringComparison.Ordinal);
        Assert.Contains("rapport confidentiel", document.Title, StringComparison.Ordinal);
        Assert.Equal("Confidentiel", Spaces(document.QuerySelector(".confidential")!.TextContent));
        var identity = Spaces(document.QuerySelector("h1 + p")!.TextContent);
        Assert.StartsWith($"Code {respondent.Code} · {respondent.Type}", identity, StringComparison.Ordinal);
        Assert.Contains($"établi le {FrenchFormat.Date(Date)}", Spaces(document.Body!.TextContent), StringComparison.Ordinal);
        AssertHeadingsNeverSkip(document);
        AssertSelfContained(document);
        AssertNoUndefinedNumbers(document);
        AssertSvgsAccessible(document);
    }

    [Fact]
    public async Task RenderIndividualAsync_ScoreTable_ShowsItsScoresAndThePanelMedians()
    {
        var panel = Synthetic;
        for (var index = 0; index < 3; index++)
        {
            var score = panel.Results.Scores[index];
            var document = await RenderAsync(panel, index);
            var rows = ScoreRows(document);

            Assert.Equal(Model.Themes.Count, rows.Count);
            for (var t = 0; t < Model.Themes.Count; t++)
            {
                var theme = panel.Results.Themes[t];
                var own = score.Themes.GetValueOrDefault(Model.Themes[t].Id);
                Assert.Equal(Model.Themes[t].Title, rows[t][0]);
                Assert.Equal(Score(own), rows[t][1]);
                Assert.Equal(Score(theme.Median), rows[t][2]);
                Assert.Equal($"{Score(theme.Q1)} – {Score(theme.Q3)}", rows[t][3]);
                // The panel median is computed from the scores themselves.
                Assert.Equal(Score(Median(panel.Results.Scores.Select(s => s.Themes.GetValueOrDefault(Model.Themes[t].Id)))), rows[t][2]);
            }
            var index0 = Spaces(document.QuerySelector(".summary li")!.TextContent);
            Assert.Contains($"indice global de maturité est de {FrenchFormat.Number(score.Index!.Value, 1)} sur 100", index0, StringComparison.Ordinal);
            Assert.Contains($"médiane de {FrenchFormat.Number(Median(panel.Results.Scores.Select(s => s.Index))!.Value, 1)}", index0, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RenderIndividualAsync_SegmentBadge_ShowsItsSegment()
    {
        var panel = Synthetic;
        foreach (var label in panel.Results.Segments.Groups.Where(g => g.Size > 0).Select(g => g.Label))
        {
            var index = panel.Results.Scores.ToList().FindIndex(s => s.Segment == label);
            var document = await RenderAsync(panel, index);

            Assert.Equal(label, Spaces(Assert.Single(document.QuerySelectorAll(".badge")).TextContent));
            var stability = panel.Robustness.Respondents.Single(r => r.Code == panel.Responses.Respondents[index].Code);
            Assert.Contains(
                $"confirmé dans {Spaces(FrenchFormat.Percent(stability.KeepShare))} des variations",
                Spaces(document.QuerySelector(".badge")!.ParentElement!.TextContent),
                StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RenderIndividualAsync_NextSteps_CountEveryGapAndShowTheNextLevelsHelp()
    {
        var panel = Named;
        var benchmark = panel.Benchmark;
        Assert.Equal("Stratèges", benchmark.ReferenceSegment);
        var counts = Enumerable.Range(0, panel.Responses.Count).Select(i => NextStep.For(panel.Responses.Row(i), benchmark).Count).ToList();
        // One report with a few steps, one with more than the ten shown.
        var few = counts.FindIndex(c => c is > 0 and <= 10);
        var many = panel.IndexOf(BottomCode);
        Assert.True(few >= 0, "No collectivité of the fixture has between 1 and 10 steps.");
        Assert.True(counts[many] > 10);

        foreach (var index in new[] { few, many })
        {
            var steps = NextStep.For(panel.Responses.Row(index), benchmark);
            var document = await RenderAsync(panel, index);
            var section = document.GetElementById("etapes")!.Closest("section")!;

            var intro = Spaces(section.QuerySelector("p")!.TextContent);
            Assert.Contains($"plupart des stratèges ({steps.Count} au total", intro, StringComparison.Ordinal);
            Assert.Equal(steps.Count > 10, intro.Contains("les 10 plus grands écarts", StringComparison.Ordinal));
            var items = section.QuerySelectorAll("ol.steps > li");
            Assert.Equal(Math.Min(10, steps.Count), items.Length);
            for (var s = 0; s < items.Length; s++)
            {
                var step = steps[s];
                var question = Model.Questions[step.Question];
                var next = step.Current + 1;
                var text = Spaces(items[s].TextContent);
                Assert.Equal(question.Label, Spaces(items[s].QuerySelector("strong")!.TextContent));
                Assert.Contains($"Aujourd'hui : niveau {step.Current}, « {Model.Scale.LabelOf(step.Current)} »", text, StringComparison.Ordinal);
                Assert.Contains($"stratèges : {step.Target}, « {Model.Scale.LabelOf(step.Target)} »", text, StringComparison.Ordinal);
                var help = question.HelpFor(next);
                Assert.NotNull(help);
                Assert.EndsWith($"Prochaine étape — niveau {next}, « {Model.Scale.LabelOf(next)} » : {Spaces(help)}", text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task RenderIndividualAsync_AtTheTopEverywhere_HasNoStep()
    {
        var panel = Named;
        var index = panel.IndexOf(TopCode);
        Assert.Empty(NextStep.For(panel.Responses.Row(index), panel.Benchmark));

        var document = await RenderAsync(panel, index);

        var section = document.GetElementById("etapes")!.Closest("section")!;
        Assert.Empty(section.QuerySelectorAll("ol.steps li"));
        Assert.Contains("vous atteignez déjà le niveau de la plupart des stratèges", Spaces(section.TextContent), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderIndividualAsync_TypeOfFewerThanFive_KeepsItsMedianSecret()
    {
        var panel = Named;
        var index = panel.IndexOf(HostileCode);
        Assert.Equal(3, panel.Benchmark.CountOfType(HostileType));
        Assert.Null(panel.Benchmark.TypeMedians(HostileType));

        var document = await RenderAsync(panel, index);

        Assert.All(ScoreRows(document), row => Assert.Equal("secret statistique", row[4]));
        var secrecy = document.QuerySelectorAll("p.small").Select(p => Spaces(p.TextContent)).Single(p => p.StartsWith("Secret statistique", StringComparison.Ordinal));
        Assert.Equal($"Secret statistique : les médianes des collectivités de type « {HostileType} » ne sont pas publiées (groupe de moins de 5 collectivités, directement ou par différence avec d'autres groupes publiés).", secrecy);
        Assert.DoesNotContain("médiane de votre type", document.GetElementById("position-graphique-desc")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderIndividualAsync_TypeOfFiveOrMore_ShowsTheTypeMedians()
    {
        var panel = Named;
        var index = panel.IndexOf("NOM05");
        Assert.Equal(CommonType, panel.Responses.Respondents[index].Type);
        var members = panel.Results.Scores.Where(s => s.Type == CommonType).ToList();
        Assert.True(members.Count >= 5);

        var document = await RenderAsync(panel, index);

        var header = document.QuerySelectorAll("table thead th").Select(th => Spaces(th.TextContent)).ToList();
        Assert.Contains("Médiane de votre type", header);
        Assert.Contains($"Votre type : {CommonType} ({members.Count} collectivités)", Spaces(document.QuerySelector("#scores-groupes")!.TextContent), StringComparison.Ordinal);
        var rows = ScoreRows(document);
        for (var t = 0; t < Model.Themes.Count; t++)
        {
            Assert.Equal(Score(Median(members.Select(s => s.Themes.GetValueOrDefault(Model.Themes[t].Id)))), rows[t][4]);
        }
        Assert.DoesNotContain("Secret statistique", document.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains($"médiane des collectivités de type {CommonType}", document.GetElementById("position-graphique-desc")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderIndividualAsync_MarkupInName_IsRenderedAsText()
    {
        var panel = Named;
        var index = panel.IndexOf(HostileCode);

        var html = await RenderIndividualAsync(panel.Individual(index));
        var document = Parse(html);

        Assert.Empty(document.QuerySelectorAll("script"));
        Assert.DoesNotContain(Script, html, StringComparison.Ordinal);
        Assert.Equal(HostileName, Spaces(document.QuerySelector("h1")!.TextContent));
        Assert.StartsWith(HostileName, Spaces(document.Title!), StringComparison.Ordinal);
        Assert.Contains($"établi pour {HostileName} ({HostileCode})", Spaces(document.QuerySelector("footer")!.TextContent), StringComparison.Ordinal);
        Assert.Contains(HostileType, Spaces(document.QuerySelector("h1 + p")!.TextContent), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderIndividualAsync_Text_FollowsFrenchTypography()
    {
        AssertFrenchTypography(await RenderAsync(Synthetic, 0));
        AssertFrenchTypography(await RenderAsync(Named, Named.IndexOf(BottomCode)));
    }

    [Fact]
    public async Task RenderIndividualAsync_NothingAnswered_SaysWhatIsMissing()
    {
        var source = Synthetic.Responses;
        var q = Model.Questions.Count;
        var cells = source.Cells.ToArray();
        cells.AsSpan(5 * q, q).Fill(CellCode.Blank);
        var panel = Build(new Core.Responses.ResponseSet(Model, source.Respondents, cells));
        Assert.Null(panel.Results.Scores[5].Index);

        var document = await RenderAsync(panel, 5);

        var text = Spaces(document.Body!.TextContent);
        Assert.Contains("Votre indice global n'est pas calculé", text, StringComparison.Ordinal);
        Assert.Empty(document.QuerySelectorAll(".badge, ol.steps li"));
        Assert.All(ScoreRows(document), row => Assert.Equal("—", row[1]));
        Assert.Contains($"Vous n'avez pas donné de niveau à {q} questions", text, StringComparison.Ordinal);
        Assert.Contains("Pas de comparaison avec la médiane du panel : aucun thème n'a à la fois votre score et une médiane publiée.", text, StringComparison.Ordinal);
        Assert.Contains(" ; …. Les renseigner lors de la prochaine édition", text, StringComparison.Ordinal);
        AssertNoUndefinedNumbers(document);
        AssertFrenchTypography(document);
    }

    [Fact]
    public async Task RenderIndividualAsync_PopulationBand_IsComparedUnderSecrecy()
    {
        var groups = Enumerable.Range(0, 15).Select(i => ((string?)(i < 8 ? "Commune" : "Métropole"), (long?)(i % 3 == 0 ? 30_000 : 150_000))).ToList();
        var panel = Build(Panel(groups));
        var index = 1;

        var document = Parse(await RenderIndividualAsync(panel.Individual(index)));

        var header = document.QuerySelectorAll("table thead th").Select(th => Spaces(th.TextContent)).ToList();
        Assert.Equal(["Médiane de votre type", "Médiane de votre strate"], header[^2..]);
        var note = Spaces(document.QuerySelector("#scores-groupes")!.TextContent);
        Assert.Contains("Votre type : Commune (8 collectivités)", note, StringComparison.Ordinal);
        Assert.Matches(@"votre strate : \S.* \(10 collectivités\)$", note);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task RenderIndividualAsync_UnansweredQuestions_OneSentenceWhateverTheirNumber(int unanswered)
    {
        var source = Synthetic.Responses;
        var q = Model.Questions.Count;
        var cells = source.Cells.ToArray();
        cells.AsSpan(7 * q, q).Fill(2);
        cells.AsSpan(7 * q, unanswered).Fill(CellCode.DontKnow);
        var document = await RenderAsync(Build(new Core.Responses.ResponseSet(Model, source.Respondents, cells)), 7);

        var text = Spaces(document.Body!.TextContent);
        var labels = string.Join(" ; ", Model.Questions.Take(unanswered).Select(question => Spaces(question.Label).TrimEnd('.')));
        Assert.Equal(unanswered > 0, text.Contains(unanswered switch
        {
            1 => $"à 1 question (réponse vide ou « ne sait pas ») : {labels}. La renseigner lors",
            _ => $"à {unanswered} questions (réponse vide ou « ne sait pas ») : {labels}. Les renseigner lors",
        }, StringComparison.Ordinal));
        AssertFrenchTypography(document);
    }

    [Fact]
    public async Task RenderIndividualAsync_PositionAgainstTheMedian_ReadsWellForEveryCount()
    {
        foreach (var index in Enumerable.Range(0, Synthetic.Responses.Count))
        {
            var item = (await RenderAsync(Synthetic, index)).QuerySelectorAll("#position ~ .summary li, .summary li")
                .Select(li => Spaces(li.TextContent)).First(li => li.Contains("médiane du panel sur", StringComparison.Ordinal) || li.StartsWith("Pas de comparaison", StringComparison.Ordinal));
            Assert.Matches(@"^(Vous êtes au-dessus de la médiane du panel sur \d+ de vos \d+ thèmes notés\.|Vous n'êtes au-dessus de la médiane du panel sur aucun de vos \d+ thèmes notés\.|Vous (êtes|n'êtes pas) au-dessus de la médiane du panel sur votre seul thème noté\.)$", item);
        }
    }
}
