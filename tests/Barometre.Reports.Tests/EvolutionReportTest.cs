using AngleSharp.Dom;
using Barometre.Core;
using static Barometre.Reports.Tests.EvolutionFixtures;
using static Barometre.Reports.Tests.ReportFixtures;

namespace Barometre.Reports.Tests;

/// <summary>The evolution since the earlier edition in the study, the confidential reports and its own document, read back with AngleSharp.</summary>
public sealed class EvolutionReportTest
{
    private static async Task<IElement> SectionAsync() =>
        Parse(await StudyHtml).GetElementById("evolution")?.Closest("section") ?? throw new Xunit.Sdk.XunitException("No evolution section.");

    /// <summary>The row of a table whose header cell starts with <paramref name="title"/>: its cells' texts, spaces normalised.</summary>
    private static IReadOnlyList<string> Row(IElement scope, string title)
    {
        var row = scope.QuerySelectorAll("tbody tr").FirstOrDefault(r => Spaces(r.QuerySelector("th")?.TextContent ?? "").StartsWith(title, StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"No row « {title} ».");
        return [.. row.QuerySelectorAll("td").Select(td => Spaces(td.TextContent))];
    }

    [Fact]
    public void Fixture_RisingThemeIsSignificantAndSteadyThemeIsNot()
    {
        // The wording tests below rely on these two cases.
        var evolution = Previous.Evolution;
        Assert.True(evolution.Theme(RisingTheme)!.Change is { IsSignificant: true, Delta: > 0 });
        Assert.False(evolution.Theme(SteadyTheme)!.Change.IsSignificant);
        Assert.Equal(Earlier.Responses.Count - 1, evolution.Overlap);
    }

    [Fact]
    public async Task Study_WithPrevious_HasTheSectionWithEachComparableTheme()
    {
        var section = await SectionAsync();
        var evolution = Previous.Evolution;

        Assert.Equal("Évolution depuis l'édition précédente", Spaces(section.QuerySelector("h2")!.TextContent));
        foreach (var theme in evolution.Themes)
        {
            var change = theme.Change;
            var cells = Row(section, theme.Title);
            Assert.Equal(Format.Score(change.Before), cells[0]);
            Assert.Equal(Format.Score(change.After), cells[1]);
            Assert.StartsWith(Spaces(EvolutionWording.Points(change.Delta)), cells[2], StringComparison.Ordinal);
            Assert.EndsWith(Spaces(EvolutionWording.Interval(change.Ci95)), cells[2], StringComparison.Ordinal);
            Assert.Equal(Spaces(EvolutionWording.Significance(change)), cells[3]);
        }
        var index = Row(section, "Indice global");
        Assert.Equal(Format.Score(evolution.Index.Before), index[0]);
        Assert.Equal(Format.Score(evolution.Index.After), index[1]);
    }

    [Fact]
    public async Task Study_WithPrevious_StatesSignificanceInPlainFrench()
    {
        var section = await SectionAsync();
        var rising = Previous.Evolution.Theme(RisingTheme)!;
        var steady = Previous.Evolution.Theme(SteadyTheme)!;

        Assert.Matches(@"^hausse significative \(p (= 0,00\d|< 0,001)\)$", Row(section, rising.Title)[3]);
        Assert.Matches(@"^évolution non significative \(p = [01],\d\d\)$", Row(section, steady.Title)[3]);
        // Points in French: a sign, a comma, « point » singular below 2.
        Assert.Equal("+6,5 points", Spaces(EvolutionWording.Points(6.5)));
        Assert.Equal("−0,5 point", Spaces(EvolutionWording.Points(-0.5)));
        Assert.Equal("+11 points", Spaces(EvolutionWording.Points(0.11, share: true)));
        Assert.Equal("p = 0,31", Spaces(FrenchFormat.PValue(0.31)));
        Assert.Equal("p < 0,001", Spaces(FrenchFormat.PValue(0.0004)));
    }

    [Fact]
    public async Task Study_WithPrevious_FlagsRenamedThemesAndChangedQuestions()
    {
        var section = await SectionAsync();

        // e-Éducation became « Numérique éducatif »; « Services aux usagers » lost its mediation question to « Inclusion ».
        var educatif = section.QuerySelectorAll("tbody th").Single(th => Spaces(th.TextContent).StartsWith("Numérique éducatif", StringComparison.Ordinal));
        Assert.Contains($"anciennement « {Model.Themes[Model.IndexOfTheme("education")].Title} »", Spaces(educatif.TextContent), StringComparison.Ordinal);
        var services = section.QuerySelectorAll("tbody th").Single(th => Spaces(th.TextContent).StartsWith(LaterModel.Themes[LaterModel.IndexOfTheme(SteadyTheme)].Title, StringComparison.Ordinal));
        Assert.Contains("questions modifiées depuis 2019", Spaces(services.TextContent), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Study_WithPrevious_ListsWhatIsNotComparableAndWhy()
    {
        var section = await SectionAsync();
        var items = section.QuerySelectorAll(".not-comparable li").Select(li => Spaces(li.TextContent)).ToList();
        var notComparable = Previous.Evolution.NotComparable;

        foreach (var (measure, earlier) in notComparable.Before.Select(m => (m, true)).Concat(notComparable.After.Select(m => (m, false))).Where(x => x.m.Kind != Core.Model.MeasureKind.Question))
        {
            Assert.Contains(items, item => item.Contains($"« {Spaces(Previous.Name(measure.Kind, measure.Id, earlier))} » ({measure.Id}) : {Spaces(measure.Reason)}", StringComparison.Ordinal));
        }
        Assert.Contains(items, item => item.StartsWith("Thème « Territoire serviciel » (territoire) : thème abandonné", StringComparison.Ordinal));
        Assert.Contains(items, item => item.StartsWith("Thème « Inclusion numérique » (inclusion) : nouveau thème, sans équivalent dans l'édition 2019", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Study_WithPrevious_KeyFiguresShowTheirEarlierValue()
    {
        var document = Parse(await StudyHtml);
        var shown = 0;
        foreach (var (indicator, result) in LaterModel.Indicators.Zip(Later.Results.Indicators))
        {
            var card = document.QuerySelectorAll(".key-figure").Single(c => Spaces(c.TextContent).Contains(Spaces(StudyFacts.StatementWithoutValue(result)), StringComparison.Ordinal));
            var value = Spaces(card.QuerySelector(".value")!.TextContent);
            if (Previous.Evolution.Indicator(indicator.Id)?.Change.Before is { } before)
            {
                Assert.Equal($"{Spaces(Format.Percent(result.Value))} ({Spaces(Format.Percent(before))} en 2019)", value);
                shown++;
            }
            else
            {
                Assert.Equal(Spaces(Format.Percent(result.Value)), value);
            }
        }
        Assert.Equal(Previous.Evolution.Indicators.Count(i => i.Change.Before is not null), shown);
    }

    [Fact]
    public async Task Study_WithPrevious_IsFrenchAccessibleAndWellFormed()
    {
        var document = Parse(await StudyHtml);

        AssertHeadingsNeverSkip(document);
        AssertSvgsAccessible(document);
        AssertNoUndefinedNumbers(document);
        AssertFrenchTypography(document);
        AssertSelfContained(document);
        var chart = document.GetElementById("evolution-themes")!;
        Assert.Contains("2019", chart.QuerySelector("title")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(Previous.Evolution.Themes.Count, chart.QuerySelectorAll("path[fill='#ffffff']").Length - 1);
    }

    [Fact]
    public async Task Study_WithoutPrevious_HasNoEvolution()
    {
        var html = await SyntheticStudyHtml;

        Assert.DoesNotContain("Évolution depuis", html, StringComparison.Ordinal);
        Assert.DoesNotContain("en 2019)", html, StringComparison.Ordinal);
        Assert.DoesNotContain(".evolution-table", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Individual_InBothEditions_ShowsItsOwnChangeIndexAndSegment()
    {
        var change = Previous.Evolution.Collectivite(StayingCode)!;
        var document = Parse(await RenderIndividualAsync(Individual(StayingCode)));
        var section = document.GetElementById("evolution")!.Closest("section")!;
        var text = Spaces(section.TextContent);

        foreach (var (theme, own) in Previous.Evolution.Themes.Zip(change.Themes))
        {
            var cells = Row(section, theme.Title);
            Assert.Equal(Format.Score(own.Score.Before), cells[0]);
            Assert.Equal(Format.Score(own.Score.After), cells[1]);
            Assert.Equal(Spaces(EvolutionWording.Points(own.Score.Delta)), cells[2]);
            Assert.Equal(Spaces(EvolutionWording.Points(theme.Change.Delta)), cells[3]);
        }
        Assert.Contains($"passe de {FrenchFormat.Number(change.Index.Before!.Value, 1)} en 2019 à {FrenchFormat.Number(change.Index.After!.Value, 1)} en 2021", text, StringComparison.Ordinal);
        var segment = change.SegmentBefore == change.SegmentAfter
            ? $"Votre profil reste « {change.SegmentAfter} »"
            : $"Votre profil passe de « {change.SegmentBefore} » en 2019 à « {change.SegmentAfter} » en 2021";
        Assert.Contains(segment, text, StringComparison.Ordinal);
        AssertHeadingsNeverSkip(document);
        AssertFrenchTypography(document);
        AssertNoUndefinedNumbers(document);
    }

    [Fact]
    public async Task Individual_NotInTheEarlierEdition_SaysSo()
    {
        var document = Parse(await RenderIndividualAsync(Individual(NewCode)));
        var section = document.GetElementById("evolution")!.Closest("section")!;

        Assert.Contains("n'a pas répondu à l'édition 2019", Spaces(section.TextContent), StringComparison.Ordinal);
        Assert.Empty(section.QuerySelectorAll("table"));
    }

    [Fact]
    public async Task Individual_WithoutPrevious_HasNoEvolution()
    {
        var document = Parse(await RenderIndividualAsync(Later.Individual(0)));

        Assert.Null(document.GetElementById("evolution"));
    }

    [Fact]
    public async Task EvolutionDocument_HasBothEditionsAndTheSectionButNoCollectivite()
    {
        string html;
        await using (var renderer = new ReportRenderer())
        {
            html = await renderer.RenderEvolutionAsync(new EvolutionReportData(Previous, Date));
        }
        var document = Parse(html);
        var text = Spaces(VisibleText(document));

        Assert.Single(document.QuerySelectorAll("h1"));
        Assert.Contains("de 2019 à 2021", Spaces(document.QuerySelector("h1")!.TextContent), StringComparison.Ordinal);
        Assert.NotNull(document.GetElementById("evolution"));
        Assert.Contains($"{Previous.Evolution.Overlap} collectivités ont répondu aux deux éditions", text, StringComparison.Ordinal);
        // Public-style: no collectivité is named, nor its code given.
        Assert.All(Later.Responses.Respondents, r => Assert.DoesNotContain(r.Code, text, StringComparison.Ordinal));
        AssertHeadingsNeverSkip(document);
        AssertSelfContained(document);
        AssertFrenchTypography(document);
    }
}
