using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Barometre.Web.Accessibility;

/// <summary>
/// What the project's own automated checks measured of the site's accessibility: axe-core run in Chromium through
/// Playwright on every page a respondent, a reader or an operator sees, at each width. The browser tests write it
/// (<c>BAROMETRE_UPDATE_ACCESSIBILITY_RECORD=1</c>) and fail when the committed file differs from what they measure;
/// the accessibility statement (<c>/accessibilite</c>) renders it, so that its figures are never written by hand.
/// </summary>
/// <param name="Date">When these results were last recorded (they changed then), ISO 8601 date.</param>
/// <param name="AxeVersion">axe-core's version.</param>
/// <param name="Browser">The browser and how it was driven.</param>
/// <param name="Widths">The screen widths, in CSS pixels.</param>
/// <param name="Pages">Each page checked, with its results at each width.</param>
public sealed record AccessibilityRecord(string Date, string AxeVersion, string Browser, IReadOnlyList<int> Widths, IReadOnlyList<CheckedPage> Pages)
{
    /// <summary>The resource the web assembly carries the record in.</summary>
    public const string ResourceName = "accessibility-record.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // The page titles are French: written as they are, not as \u escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The record the web assembly carries.</summary>
    public static AccessibilityRecord Shipped { get; } = Load();

    /// <summary>Every rule axe-core applied on some page (passed or broken), by id.</summary>
    public IReadOnlyList<string> RulesChecked => [.. Pages.SelectMany(p => p.Results).SelectMany(r => r.Passed.Concat(r.Violations.Select(v => v.Rule))).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>The rules applied that no page broke at any width.</summary>
    public IReadOnlyList<string> RulesPassed
    {
        get
        {
            var broken = Violations.Select(v => v.Rule).ToHashSet(StringComparer.Ordinal);
            return [.. RulesChecked.Where(rule => !broken.Contains(rule))];
        }
    }

    /// <summary>Every violation found, with the page and the width.</summary>
    public IReadOnlyList<(CheckedPage Page, int Width, RuleViolation Violation)> AllViolations =>
        [.. Pages.SelectMany(p => p.Results.SelectMany(r => r.Violations.Select(v => (p, r.Width, v))))];

    private IEnumerable<RuleViolation> Violations => Pages.SelectMany(p => p.Results).SelectMany(r => r.Violations);

    /// <summary>The record as the committed file holds it (indented JSON, a final line break).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json) + "\n";

    /// <summary>A record from its file's text.</summary>
    public static AccessibilityRecord FromJson(string json) =>
        JsonSerializer.Deserialize<AccessibilityRecord>(json, Json) ?? throw new InvalidDataException("Empty accessibility record.");

    private static AccessibilityRecord Load()
    {
        using var stream = typeof(AccessibilityRecord).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The web assembly carries no {ResourceName}.");
        using var reader = new StreamReader(stream);
        return FromJson(reader.ReadToEnd());
    }

    /// <summary>Whether two records hold the same results, whenever they were recorded.</summary>
    public bool SameResults(AccessibilityRecord other) =>
        other is not null && (this with { Date = "" }).ToJson() == (other with { Date = "" }).ToJson();
}

/// <summary>A page checked: what it is, in French, and its address with its variable parts named.</summary>
/// <param name="Title">« Questionnaire : un thème ».</param>
/// <param name="Path">« /q/{lien}/theme/{numéro} ».</param>
/// <param name="Audience">« public », « collectivité » or « opérateur »: who sees it.</param>
/// <param name="Results">Its results at each width.</param>
public sealed record CheckedPage(string Title, string Path, string Audience, IReadOnlyList<WidthResult> Results);

/// <summary>What axe-core found on a page at one width.</summary>
/// <param name="Width">The screen width, in CSS pixels.</param>
/// <param name="Passed">The rules applied and respected, by id.</param>
/// <param name="Violations">The rules broken.</param>
/// <param name="Incomplete">The rules axe-core could not decide, left to a person, by id.</param>
public sealed record WidthResult(int Width, IReadOnlyList<string> Passed, IReadOnlyList<RuleViolation> Violations, IReadOnlyList<string> Incomplete);

/// <summary>A rule axe-core found broken on a page.</summary>
/// <param name="Rule">The rule's id (« color-contrast »).</param>
/// <param name="Impact">minor, moderate, serious or critical.</param>
/// <param name="Help">What the rule asks, as axe-core says it.</param>
/// <param name="Nodes">How many elements break it.</param>
public sealed record RuleViolation(string Rule, string? Impact, string Help, int Nodes);
