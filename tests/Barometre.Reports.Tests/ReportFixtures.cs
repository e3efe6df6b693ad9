using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Barometre.Core;
using Barometre.Core.Model;
using Barometre.Core.Publication;
using Barometre.Core.Responses;
using Barometre.Core.Results;
using Barometre.Core.Robustness;
using Barometre.Core.Synthetic;
using Barometre.Data.Import;

namespace Barometre.Reports.Tests;

/// <summary>A panel with everything the reports are made from: its answers, results and robustness analysis.</summary>
internal sealed class ReportPanel(ResponseSet responses, BarometerResults results, SensitivityResults robustness)
{
    private readonly Lazy<PanelBenchmark> benchmark = new(() => new PanelBenchmark(responses, results));
    private readonly Lazy<SeedStabilityResults?> seedStability = new(() => Core.Robustness.SeedStability.Analyse(results, runs: 5));

    public ResponseSet Responses { get; } = responses;

    public BarometerResults Results { get; } = results;

    public SensitivityResults Robustness { get; } = robustness;

    /// <summary>The segmentation rerun with 5 other k-means seeds.</summary>
    public SeedStabilityResults? SeedStability => seedStability.Value;

    public MaturityModel Model => Responses.Model;

    public PanelBenchmark Benchmark => benchmark.Value;

    /// <summary>The study's data; without the robustness analyses (weights, seeds) when <paramref name="withRobustness"/> is false (a results file alone).</summary>
    public StudyReportData Study(bool withRobustness = true) =>
        new(Model, Results, withRobustness ? Robustness : null, ReportFixtures.Date, SeedStability: withRobustness ? SeedStability : null);

    /// <summary>The confidential report's data of the respondent at <paramref name="index"/>.</summary>
    public IndividualReportData Individual(int index) => new(
        Responses, Results, Benchmark, index, ReportFixtures.Date,
        Robustness.Respondents.FirstOrDefault(r => r.Code == Responses.Respondents[index].Code));

    public int IndexOf(string code) => Responses.Respondents.Select(r => r.Code).ToList().IndexOf(code);
}

/// <summary>
/// Shared builders: the shipped 2019 model, a synthetic panel (<c>barometre demo</c>'s), a panel of
/// « real-looking » collectivités whose names and types carry markup, results, a short robustness
/// analysis, a fixed date; and helpers to render, parse and read the reports.
/// </summary>
internal static class ReportFixtures
{
    public const string ModelId = "maturite-numerique-2019";

    /// <summary>What hostile names and types contain.</summary>
    public const string Script = "<script>alert(1)</script>";

    /// <summary>The type given to three collectivités of the named panel (fewer than 5: statistical secrecy).</summary>
    public const string HostileType = Script + " & Cie";

    /// <summary>The name of the named panel's collectivité NOM03.</summary>
    public const string HostileName = "Ville d'Arcenay & Environs " + Script;

    /// <summary>The most represented type of the named panel (19 members).</summary>
    public const string CommonType = "Commune";

    /// <summary>Code of the named panel's collectivité answering the top level everywhere.</summary>
    public const string TopCode = "NOM01";

    /// <summary>Code of the named panel's collectivité answering the lowest level everywhere.</summary>
    public const string BottomCode = "NOM02";

    /// <summary>Code of the named panel's collectivité with a hostile name (and the hostile type).</summary>
    public const string HostileCode = "NOM03";

    public const char Nnbsp = FrenchFormat.NarrowNoBreakSpace;

    public static DateOnly Date { get; } = new(2026, 3, 12);

    public static BarometerOptions Options { get; } = new() { Seed = 42, Bootstrap = 200 };

    public static SensitivityOptions RobustnessOptions { get; } = new() { Draws = 40, Seed = 7 };

    private static readonly Lazy<MaturityModel> LazyModel = new(() => ShippedModels.Load(ModelId));
    private static readonly Lazy<ReportPanel> LazySynthetic = new(() => Build(SyntheticPanel.Generate(Model, new SyntheticPanelOptions { Respondents = 40, Seed = 2019 })));
    private static readonly Lazy<ReportPanel> LazyNamed = new(() => Build(NamedResponses()));
    private static readonly Lazy<Task<string>> LazySyntheticStudy = new(() => RenderStudyAsync(Synthetic.Study()));
    private static readonly Lazy<Task<string>> LazyNamedStudy = new(() => RenderStudyAsync(Named.Study()));

    public static MaturityModel Model => LazyModel.Value;

    /// <summary>40 fictitious collectivités (codes SYN…, names « … fictive … »).</summary>
    public static ReportPanel Synthetic => LazySynthetic.Value;

    /// <summary>
    /// 40 collectivités with ordinary codes (NOM01…): NOM01 answers 4 everywhere, NOM02 0 everywhere,
    /// NOM03 has a name with markup and « &amp; »; types: 19 « Commune », 12 « Métropole », 3 of <see cref="HostileType"/>,
    /// 3 « Syndicat mixte », 3 without a type. The other answers are those of a synthetic panel.
    /// </summary>
    public static ReportPanel Named => LazyNamed.Value;

    /// <summary>The synthetic panel's study (with robustness), rendered once.</summary>
    public static Task<string> SyntheticStudyHtml => LazySyntheticStudy.Value;

    /// <summary>The named panel's study (with robustness), rendered once.</summary>
    public static Task<string> NamedStudyHtml => LazyNamedStudy.Value;

    public static ReportPanel Build(ResponseSet responses)
    {
        var results = Barometer.Compute(responses, Options);
        return new ReportPanel(responses, results, WeightSensitivity.Analyse(responses, results, RobustnessOptions));
    }

    private static ResponseSet NamedResponses()
    {
        var source = SyntheticPanel.Generate(Model, new SyntheticPanelOptions { Respondents = 40, Seed = 77 });
        var q = Model.Questions.Count;
        var cells = source.Cells.ToArray();
        cells.AsSpan(0, q).Fill((sbyte)Model.Scale.MaxLevel);
        cells.AsSpan(q, q).Clear();
        var respondents = new List<Respondent>();
        for (var i = 0; i < source.Count; i++)
        {
            var code = string.Create(CultureInfo.InvariantCulture, $"NOM{i + 1:D2}");
            var type = i switch
            {
                < 20 when i != 2 => CommonType,
                2 or 20 or 21 => HostileType,
                < 34 => "Métropole",
                < 37 => "Syndicat mixte",
                _ => null,
            };
            var name = i == 2 ? HostileName : string.Create(CultureInfo.InvariantCulture, $"Collectivité exemple n° {i + 1}");
            respondents.Add(new Respondent(code, name, type, 20_000 + (i * 1000), "Bretagne"));
        }
        return new ResponseSet(Model, respondents, cells);
    }

    public static async Task<string> RenderStudyAsync(StudyReportData data)
    {
        await using var renderer = new ReportRenderer();
        return await renderer.RenderStudyAsync(data);
    }

    public static async Task<string> RenderIndividualAsync(IndividualReportData data)
    {
        await using var renderer = new ReportRenderer();
        return await renderer.RenderIndividualAsync(data);
    }

    public static IHtmlDocument Parse(string html) => new HtmlParser().ParseDocument(html);

    /// <summary>
    /// Every whitespace run (including no-break spaces) as one regular space, trimmed, and « ’ » as « ' », so that
    /// a text compares with the model's and the tests' strings (<see cref="AssertFrenchTypography"/> checks the forms).
    /// </summary>
    public static string Spaces(string text) => Regex.Replace(text.Replace('\u00A0', ' ').Replace(Nnbsp, ' ').Replace('’', '\''), @"\s+", " ").Trim();

    /// <summary>The text with no whitespace at all (for text extracted from PDF, where lines break anywhere), « ’ » as « ' ».</summary>
    public static string NoSpaces(string text) =>
        new([.. text.Where(c => !char.IsWhiteSpace(c) && c is not '\u00A0' and not Nnbsp and not '\u00AD').Select(c => c == '’' ? '\'' : c)]);

    /// <summary>The text shown to readers: the document title and the body's text (SVG text, titles and descriptions included).</summary>
    public static string VisibleText(IDocument document) => document.Title + "\n" + document.Body!.TextContent;

    /// <summary>Every fragment of <paramref name="text"/> matching <paramref name="pattern"/>, with some context, one per line.</summary>
    public static string Offending(string text, string pattern)
    {
        var matches = Regex.Matches(text, pattern);
        if (matches.Count == 0)
        {
            return "";
        }
        // One line per distinct context (the same template fault repeats in every theme).
        var contexts = matches.Select(match =>
        {
            var start = Math.Max(0, match.Index - 35);
            var end = Math.Min(text.Length, match.Index + match.Length + 3);
            return Regex.Replace(text[start..end], @"\s+", " ");
        }).Distinct(StringComparer.Ordinal).ToList();
        var found = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"  ({matches.Count} occurrences)\n"));
        foreach (var context in contexts.Take(40))
        {
            found.Append("  « ").Append(context).Append(" »\n");
        }
        return found.ToString();
    }

    /// <summary>The headings h1…h6 in document order, as their levels.</summary>
    public static IReadOnlyList<(int Level, string Text)> Headings(IDocument document) =>
        [.. document.QuerySelectorAll("h1, h2, h3, h4, h5, h6").Select(h => (h.LocalName[1] - '0', Spaces(h.TextContent)))];

    /// <summary>Asserts that the headings start at h1 and never go down more than one level at a time.</summary>
    public static void AssertHeadingsNeverSkip(IDocument document)
    {
        var headings = Headings(document);
        Assert.NotEmpty(headings);
        Assert.Equal(1, headings[0].Level);
        for (var i = 1; i < headings.Count; i++)
        {
            Assert.True(
                headings[i].Level <= headings[i - 1].Level + 1,
                $"« {headings[i].Text} » (h{headings[i].Level}) follows « {headings[i - 1].Text} » (h{headings[i - 1].Level}): a level is skipped.");
        }
    }

    /// <summary>
    /// Asserts that nothing in the document is loaded from elsewhere: no script, link, iframe, object or
    /// embed; every src/href/srcset/poster/data/xlink:href is a fragment or a data: URI; the stylesheet
    /// embeds its font as a data: URI and imports nothing.
    /// </summary>
    public static void AssertSelfContained(IDocument document)
    {
        Assert.Empty(document.QuerySelectorAll("script, link, iframe, object, embed, base"));
        string[] loading = ["src", "href", "srcset", "poster", "data", "xlink:href", "action", "background"];
        foreach (var element in document.All)
        {
            foreach (var attribute in element.Attributes.Where(a => loading.Contains(a.Name, StringComparer.OrdinalIgnoreCase)))
            {
                Assert.True(
                    attribute.Value.StartsWith('#') || attribute.Value.StartsWith("data:", StringComparison.OrdinalIgnoreCase),
                    $"<{element.LocalName} {attribute.Name}=\"{attribute.Value}\"> loads something from outside the document.");
            }
            if (element.GetAttribute("style") is { } inline)
            {
                Assert.DoesNotMatch(@"url\(\s*['""]?(?!data:|#)", inline);
            }
        }
        var styles = document.QuerySelectorAll("style").Select(s => s.TextContent).ToList();
        Assert.NotEmpty(styles);
        var css = string.Join("\n", styles);
        Assert.Contains("src: url(data:font/woff2;base64,", css, StringComparison.Ordinal);
        Assert.DoesNotContain("@import", css, StringComparison.OrdinalIgnoreCase);
        var external = Regex.Matches(css, @"url\(\s*['""]?(?!data:)[^)]{0,80}").Select(m => m.Value).ToList();
        Assert.True(external.Count == 0, "The stylesheet loads: " + string.Join(", ", external));
    }

    /// <summary>Asserts no « NaN », « Infinity », « ∞ » nor negative zero in the text or the attributes (the stylesheet's base64 font aside).</summary>
    public static void AssertNoUndefinedNumbers(IDocument document)
    {
        var text = VisibleText(document);
        var attributes = string.Join("\n", document.All.SelectMany(e => e.Attributes.Select(a => $"{e.LocalName}@{a.Name}={a.Value}")));
        foreach (var (where, content) in new[] { ("text", text), ("attributes", attributes) })
        {
            var bad = Offending(content, @"NaN|Infinity|∞|(?<![\w-])[−-]0(?:[,.]0+)?(?![\d,.])");
            Assert.True(bad.Length == 0, $"Undefined or negative-zero numbers in the {where}:\n{bad}");
        }
    }

    /// <summary>
    /// Asserts French typography in the text: only U+202F before « % » (no regular or no-break space, no
    /// digit glued to it), no « . » decimal, no breakable space after « « » nor before « » », « : », « ; »;
    /// « ’ » rather than « ' » outside code, ordinals with superscript letters, no « .. », no « sur 0 … sur 0 ».
    /// </summary>
    public static void AssertFrenchTypography(IDocument document)
    {
        var text = VisibleText(document);
        // Decimals are looked for within each text node: « α : 0,95. » ending a block and « 2. Services »
        // starting the next one are glued together in the body's TextContent.
        var nodes = document.Title + "\n" + string.Join("\n", document.Body!.GetDescendants().OfType<IText>().Select(t => t.Data));
        var problems = new StringBuilder();
        foreach (var (pattern, what, where) in new[]
        {
            (@"[\d \u00A0\t\r\n]%", "« % » must follow a narrow no-break space (U+202F)", text),
            (@"\d\.\d", "Decimal point instead of a comma", nodes),
            (@"«[ \t\r\n]", "Breakable space after « « »", text),
            (@"[ \t\r\n][»:;]", "Breakable space before « » », « : » or « ; »", text),
            ("'", "Straight apostrophe instead of « ’ »", Prose(document)),
            (@"\b\d+(?:e|er|ème)\b", "Ordinal without superscript letters (« 8ᵉ », « 1ᵉʳ »)", nodes),
            (@"[^.]\.\.(?!\.)", "Double period", nodes),
            (@"\b0 \w+ sur 0\b|\bsur 0 \w+ sur\b", "Count sentence reading « sur 0 … sur 0 »", text),
        })
        {
            if (Offending(where, pattern) is { Length: > 0 } found)
            {
                problems.Append(what).Append(":\n").Append(found);
            }
        }
        Assert.True(problems.Length == 0, problems.ToString());
    }

    /// <summary>The document's title, text and attribute values a reader meets (labels, titles), code left out.</summary>
    private static string Prose(IDocument document)
    {
        var clone = (IDocument)document.Clone();
        foreach (var code in clone.QuerySelectorAll("code").ToList())
        {
            code.Remove();
        }
        var attributes = clone.All.SelectMany(element => element.Attributes).Where(a => a.Name is "aria-label" or "title" or "alt").Select(a => a.Value);
        return VisibleText(clone) + "\n" + string.Join("\n", attributes);
    }

    /// <summary>Asserts that every inline SVG is an image labelled by its own non-empty &lt;title&gt; and &lt;desc&gt;.</summary>
    public static void AssertSvgsAccessible(IDocument document)
    {
        var svgs = document.QuerySelectorAll("svg");
        Assert.NotEmpty(svgs);
        foreach (var svg in svgs)
        {
            var figure = svg.Closest("figure")?.Id ?? "(no figure)";
            Assert.True(svg.GetAttribute("role") == "img", $"SVG of {figure}: role=\"img\" missing.");
            var ids = (svg.GetAttribute("aria-labelledby") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var labels = ids.Select(id => document.GetElementById(id)).ToList();
            Assert.True(labels.Count > 0 && labels.All(l => l is not null), $"SVG of {figure}: aria-labelledby=\"{svg.GetAttribute("aria-labelledby")}\" names a missing element.");
            var title = labels.FirstOrDefault(l => l!.LocalName == "title" && l.ParentElement == svg);
            var desc = labels.FirstOrDefault(l => l!.LocalName == "desc" && l.ParentElement == svg);
            Assert.True(title is not null && Spaces(title.TextContent).Length > 0, $"SVG of {figure}: no non-empty <title> among its labels.");
            Assert.True(desc is not null && Spaces(desc.TextContent).Length > 0, $"SVG of {figure}: no non-empty <desc> among its labels.");
        }
    }

    /// <summary>The median as the reports define it (linear interpolation between the middle values).</summary>
    public static double? Median(IEnumerable<double?> values)
    {
        var sorted = values.Where(v => v is not null).Select(v => v!.Value).Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>An ordinal rank as printed: « 1ᵉʳ », « 2ᵉ ».</summary>
    public static string Ordinal(int rank) => rank == 1 ? "1ᵉʳ" : string.Create(CultureInfo.InvariantCulture, $"{rank}ᵉ");
}
