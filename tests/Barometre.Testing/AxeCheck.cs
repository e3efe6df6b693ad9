using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace Barometre.Testing;

/// <summary>What axe-core found on a page: how many rules passed and the violations.</summary>
/// <param name="Passes">How many rules passed.</param>
/// <param name="Violations">The rules broken.</param>
/// <param name="PassedRules">The rules passed, by id.</param>
/// <param name="IncompleteRules">The rules axe-core could not decide alone, by id.</param>
/// <param name="Version">axe-core's version.</param>
public sealed record AxeReport(
    int Passes, IReadOnlyList<AxeViolation> Violations, IReadOnlyList<string>? PassedRules = null, IReadOnlyList<string>? IncompleteRules = null, string? Version = null);

/// <summary>One rule axe-core saw broken, with the nodes that break it.</summary>
public sealed record AxeViolation(string Id, string? Impact, string Help, string? HelpUrl, IReadOnlyList<AxeNode> Nodes);

/// <summary>A node breaking a rule: its selector, the start of its HTML and axe's summary.</summary>
public sealed record AxeNode(string Target, string Html, string? Summary);

/// <summary>
/// Runs npm's axe-core in a page and fails on any serious or critical violation, listing each with its nodes;
/// minor ones go to the test's output.
/// </summary>
public static class AxeCheck
{
    private const string RunAxe = """
        async () => {
          const results = await axe.run(document, { resultTypes: ['violations'] });
          return JSON.stringify({ passes: results.passes.length, passedRules: results.passes.map(p => p.id),
            incompleteRules: results.incomplete.map(i => i.id), version: results.testEngine.version, violations: results.violations.map(v => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            helpUrl: v.helpUrl,
            nodes: v.nodes.map(n => ({ target: n.target.join(' '), html: n.html.slice(0, 200), summary: n.failureSummary })),
          })) });
        }
        """;

    private static readonly JsonSerializerOptions AxeJson = new() { PropertyNameCaseInsensitive = true };

    /// <summary>Runs axe-core on the page as it stands (skips or fails, like the other tools, without axe-core).</summary>
    public static Task<AxeReport> RunAsync(IPage page) => RunAsync(page, null);

    /// <summary>Runs axe-core on the page as it stands, its messages in a language of its own (skips or fails, like the other tools, without axe-core).</summary>
    /// <param name="page">The page, loaded.</param>
    /// <param name="locale">The language of axe-core's messages (its <c>locales/</c> file, « fr »), or null for English.</param>
    public static async Task<AxeReport> RunAsync(IPage page, string? locale)
    {
        ArgumentNullException.ThrowIfNull(page);
        var axe = ExternalTools.AxeCore();
        // The site's CSP allows its own scripts only: axe is evaluated through the DevTools protocol.
        await page.EvaluateAsync(await File.ReadAllTextAsync(axe, TestContext.Current.CancellationToken));
        if (locale is not null)
        {
            var messages = await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(axe)!, "locales", locale + ".json"), TestContext.Current.CancellationToken);
            await page.EvaluateAsync("locale => axe.configure({ locale: JSON.parse(locale) })", messages);
        }
        return JsonSerializer.Deserialize<AxeReport>(await page.EvaluateAsync<string>(RunAxe), AxeJson)!;
    }

    /// <summary>Checks the page as it stands: axe examined it, and no violation is serious or critical.</summary>
    /// <param name="page">The page, loaded.</param>
    /// <param name="which">What the page is, for the messages (« the dashboard », « the study (Print) »).</param>
    public static async Task AssertNoSeriousViolationAsync(IPage page, string which)
    {
        var report = await RunAsync(page);

        // axe really examined the page (a CSP did not stop it).
        Assert.True(report.Passes > 10, $"axe-core passed only {report.Passes} rules on {which}.");
        var serious = report.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        var minor = report.Violations.Except(serious).Select(v => $"{v.Id} ({v.Impact})").ToList();
        if (minor.Count > 0)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"{which}, minor violations: {string.Join(", ", minor)}");
        }
        Assert.True(serious.Count == 0, Describe(which, serious));
    }

    private static string Describe(string which, List<AxeViolation> violations)
    {
        var message = new StringBuilder().Append(CultureInfo.InvariantCulture, $"axe-core found {violations.Count} serious or critical violation(s) on {which}:\n");
        foreach (var violation in violations)
        {
            message.Append(CultureInfo.InvariantCulture, $"- {violation.Id} ({violation.Impact}, {violation.Nodes.Count} node(s)): {violation.Help} — {violation.HelpUrl}\n");
            foreach (var node in violation.Nodes)
            {
                message.Append(CultureInfo.InvariantCulture, $"    {node.Target}  {node.Html}\n");
                if (node.Summary is not null)
                {
                    message.Append("      ").Append(node.Summary.ReplaceLineEndings(" ")).Append('\n');
                }
            }
        }
        return message.ToString();
    }
}
