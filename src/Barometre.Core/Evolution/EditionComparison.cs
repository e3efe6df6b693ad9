using Barometre.Core.Model;
using Barometre.Core.Responses;
using Barometre.Core.Results;
using Barometre.Core.Statistics;

namespace Barometre.Core.Evolution;

/// <summary>
/// Compares two editions of a barometer whose models the lineage maps (<see cref="EditionMapping"/>), collectivités
/// matched by code: the figures of docs/evolution-schema.md.
/// </summary>
public static class EditionComparison
{
    /// <summary>Compares the earlier edition with the later one.</summary>
    /// <param name="mapping">How the later model continues the earlier one.</param>
    /// <param name="before">The earlier edition's answers, on <see cref="EditionMapping.Earlier"/>.</param>
    /// <param name="beforeResults">Their results (<see cref="Barometer.Compute"/>).</param>
    /// <param name="after">The later edition's answers, on <see cref="EditionMapping.Later"/>.</param>
    /// <param name="afterResults">Their results.</param>
    /// <param name="options">The seed and bootstrap replicates of the intervals (the barometer's own defaults).</param>
    /// <exception cref="ArgumentException">The answers are not on the mapping's models, or the results not theirs.</exception>
    public static EvolutionResults Compare(
        EditionMapping mapping,
        ResponseSet before,
        BarometerResults beforeResults,
        ResponseSet after,
        BarometerResults afterResults,
        BarometerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(beforeResults);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(afterResults);
        options ??= new BarometerOptions();
        Check(before, beforeResults, mapping.Earlier, nameof(before));
        Check(after, afterResults, mapping.Later, nameof(after));

        var units = Units.Match(before, after);
        var themes = mapping.Themes.Where(t => t.IsComparable).ToList();
        var indicators = mapping.Indicators.Where(i => i.IsComparable).ToList();

        // One column per compared figure, the same in every table: the themes, the indicators, then the index.
        var columns = themes.Count + indicators.Count + 1;
        var beforeValues = new double[before.Count * columns];
        var afterValues = new double[after.Count * columns];
        Fill(beforeValues, columns, before.Count, (r, c) =>
            c < themes.Count ? EarlierThemeScore(themes[c], before, beforeResults, r)
            : c < columns - 1 ? Satisfies(mapping.Earlier, indicators[c - themes.Count].EarlierIndicator!, before, r)
            : beforeResults.Scores[r].Index ?? double.NaN);
        Fill(afterValues, columns, after.Count, (r, c) =>
            c < themes.Count ? afterResults.Scores[r].Themes[themes[c].Theme.Id] ?? double.NaN
            : c < columns - 1 ? Satisfies(mapping.Later, indicators[c - themes.Count].Indicator, after, r)
            : afterResults.Scores[r].Index ?? double.NaN);

        var intervals = Bootstrap.MeanChangeIntervals(
            Units.Rows(beforeValues, columns, units.PairedBefore),
            Units.Rows(afterValues, columns, units.PairedAfter),
            Units.Rows(beforeValues, columns, units.BeforeOnly),
            Units.Rows(afterValues, columns, units.AfterOnly),
            columns,
            options.Bootstrap,
            options.Seed);

        var themeChanges = new List<ThemeChange>(themes.Count);
        for (var c = 0; c < themes.Count; c++)
        {
            var theme = themes[c];
            var earlier = Column(beforeValues, columns, c);
            var later = Column(afterValues, columns, c);
            var afterResult = afterResults.Themes[mapping.Later.IndexOfTheme(theme.Theme.Id)];
            double? beforeMean;
            int scoredBefore;
            if (theme.UsesPublishedScore)
            {
                var published = beforeResults.Themes[mapping.Earlier.IndexOfTheme(theme.EarlierThemes[0].Id)];
                (beforeMean, scoredBefore) = (published.Mean, published.Scored);
            }
            else
            {
                (beforeMean, scoredBefore) = (MeanOfDefined(earlier), earlier.Count(double.IsFinite));
            }
            themeChanges.Add(new ThemeChange(
                theme.Theme.Id,
                theme.Theme.Title,
                [.. theme.EarlierThemes.Select(t => t.Id)],
                theme.SameQuestions,
                scoredBefore,
                afterResult.Scored,
                Change(beforeMean, afterResult.Mean, intervals[c], units, earlier, later, paired: ChangeTests.Wilcoxon, "wilcoxon", unpaired: (x, y) => ChangeTests.MannWhitney(x, y), "mann-whitney")));
        }

        var indicatorChanges = new List<IndicatorChange>(indicators.Count);
        for (var i = 0; i < indicators.Count; i++)
        {
            var c = themes.Count + i;
            var indicator = indicators[i];
            var earlierResult = beforeResults.Indicators.Single(r => r.Id == indicator.EarlierIndicator!.Id);
            var laterResult = afterResults.Indicators.Single(r => r.Id == indicator.Indicator.Id);
            indicatorChanges.Add(new IndicatorChange(
                indicator.Indicator.Id,
                indicator.Indicator.Title,
                indicator.EarlierIndicator!.Id,
                earlierResult.Answered,
                laterResult.Answered,
                indicator.Indicator.Statement,
                Change(earlierResult.Value, laterResult.Value, intervals[c], units, Column(beforeValues, columns, c), Column(afterValues, columns, c),
                    paired: ChangeTests.McNemar, "mcnemar",
                    unpaired: (_, _) => ChangeTests.TwoProportions(earlierResult.Count, earlierResult.Answered, laterResult.Count, laterResult.Answered), "two-proportions")));
        }

        var beforeIndex = Column(beforeValues, columns, columns - 1);
        var afterIndex = Column(afterValues, columns, columns - 1);
        var index = Change(MeanOfDefined(beforeIndex), MeanOfDefined(afterIndex), intervals[columns - 1], units, beforeIndex, afterIndex,
            paired: ChangeTests.Wilcoxon, "wilcoxon", unpaired: (x, y) => ChangeTests.MannWhitney(x, y), "mann-whitney");

        var collectivites = new List<CollectiviteChange>(units.PairedAfter.Length);
        for (var p = 0; p < units.PairedAfter.Length; p++)
        {
            var (b, a) = (units.PairedBefore[p], units.PairedAfter[p]);
            collectivites.Add(new CollectiviteChange(
                after.Respondents[a].Code,
                after.Respondents[a].Name,
                new ValueChange(Defined(beforeValues[(b * columns) + columns - 1]), Defined(afterValues[(a * columns) + columns - 1])),
                beforeResults.Scores[b].Segment,
                afterResults.Scores[a].Segment,
                [.. themes.Select((t, c) => new ThemeValueChange(t.Theme.Id, new ValueChange(Defined(beforeValues[(b * columns) + c]), Defined(afterValues[(a * columns) + c]))))]));
        }

        return new EvolutionResults(
            EvolutionResults.CurrentSchemaVersion,
            new EditionSummary(mapping.Earlier.Id, mapping.Earlier.Edition, before.Count),
            new EditionSummary(mapping.Later.Id, mapping.Later.Edition, after.Count),
            units.PairedAfter.Length,
            index,
            themeChanges,
            indicatorChanges,
            new NotComparableMeasures(mapping.NotComparableBefore, mapping.NotComparableAfter),
            collectivites,
            new EvolutionParameters(options.Seed, options.Bootstrap));
    }

    private static void Check(ResponseSet responses, BarometerResults results, MaturityModel model, string name)
    {
        if (responses.Model.Id != model.Id)
        {
            throw new ArgumentException($"The answers are on model {responses.Model.Id}, not {model.Id}.", name);
        }
        if (results.Referential != model.Id || results.Scores.Count != responses.Count)
        {
            throw new ArgumentException($"The results are not those of the answers on {model.Id}.", name + "Results");
        }
    }

    /// <summary>A respondent's earlier score on a compared theme: the published one when it stands, else recomputed on the lineage's questions and levels.</summary>
    private static double EarlierThemeScore(ThemeComparison theme, ResponseSet before, BarometerResults beforeResults, int respondent) =>
        theme.UsesPublishedScore
            ? beforeResults.Scores[respondent].Themes[theme.EarlierThemes[0].Id] ?? double.NaN
            : theme.EarlierScore(before.Row(respondent));

    /// <summary>1 when the respondent's level satisfies the indicator, 0 when it does not, NaN without a level.</summary>
    private static double Satisfies(MaturityModel model, Indicator indicator, ResponseSet responses, int respondent)
    {
        var cell = responses[respondent, model.IndexOfQuestion(indicator.QuestionId)];
        return cell < 0 ? double.NaN : indicator.Predicate.IsSatisfiedBy(cell) ? 1 : 0;
    }

    private static MeasureChange Change(
        double? before,
        double? after,
        (double Low, double High) interval,
        Units units,
        double[] earlier,
        double[] later,
        Func<ReadOnlySpan<double>, ReadOnlySpan<double>, ChangeTestResult> paired,
        string pairedName,
        Func<double[], double[], ChangeTestResult> unpaired,
        string unpairedName)
    {
        var pairedTest = paired(Units.Pick(earlier, units.PairedBefore), Units.Pick(later, units.PairedAfter));
        var unpairedTest = unpaired(earlier, later);
        return new MeasureChange(
            before,
            after,
            before is { } b && after is { } a ? a - b : null,
            new Interval(Defined(interval.Low), Defined(interval.High)),
            new ChangeTest(pairedName, pairedTest.N, Defined(pairedTest.Statistic), Defined(pairedTest.PValue)),
            new ChangeTest(unpairedName, unpairedTest.N, Defined(unpairedTest.Statistic), Defined(unpairedTest.PValue)));
    }

    private static void Fill(double[] values, int columns, int rows, Func<int, int, double> value)
    {
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                values[(r * columns) + c] = value(r, c);
            }
        }
    }

    private static double[] Column(double[] values, int columns, int column)
    {
        var result = new double[values.Length / columns];
        for (var r = 0; r < result.Length; r++)
        {
            result[r] = values[(r * columns) + column];
        }
        return result;
    }

    private static double? MeanOfDefined(double[] values)
    {
        var defined = values.Where(double.IsFinite).ToArray();
        return defined.Length == 0 ? null : Descriptive.Mean(defined);
    }

    private static double? Defined(double value) => double.IsFinite(value) ? value : null;

    /// <summary>The respondents of both editions matched by code: the pairs (in the later edition's order) and the rest of each.</summary>
    private sealed record Units(int[] PairedBefore, int[] PairedAfter, int[] BeforeOnly, int[] AfterOnly)
    {
        public static Units Match(ResponseSet before, ResponseSet after)
        {
            var earlier = new Dictionary<string, int>(before.Count, StringComparer.Ordinal);
            for (var r = 0; r < before.Count; r++)
            {
                earlier[before.Respondents[r].Code] = r;
            }
            var pairedBefore = new List<int>();
            var pairedAfter = new List<int>();
            var afterOnly = new List<int>();
            for (var r = 0; r < after.Count; r++)
            {
                if (earlier.Remove(after.Respondents[r].Code, out var b))
                {
                    pairedBefore.Add(b);
                    pairedAfter.Add(r);
                }
                else
                {
                    afterOnly.Add(r);
                }
            }
            return new Units([.. pairedBefore], [.. pairedAfter], [.. earlier.Values.Order()], [.. afterOnly]);
        }

        public static double[] Rows(double[] values, int columns, int[] rows)
        {
            var result = new double[rows.Length * columns];
            for (var i = 0; i < rows.Length; i++)
            {
                Array.Copy(values, rows[i] * columns, result, i * columns, columns);
            }
            return result;
        }

        public static double[] Pick(double[] column, int[] rows) => [.. rows.Select(r => column[r])];
    }
}
