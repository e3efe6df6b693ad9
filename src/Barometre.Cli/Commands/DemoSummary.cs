using Barometre.Core;
using Barometre.Core.Model;
using Barometre.Core.Responses;
using Barometre.Core.Results;
using Spectre.Console;

namespace Barometre.Cli.Commands;

/// <summary>The demo's readable summary: key figures, theme ranking, strong correlations, segments — in French.</summary>
internal sealed class DemoSummary
{
    private readonly IAnsiConsole _console;

    public DemoSummary(TextWriter writer)
    {
        var interactive = ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected;
        _console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!interactive)
        {
            _console.Profile.Width = 120;
        }
    }

    public void Write(MaturityModel model, ResponseSet panel, BarometerResults results)
    {
        _console.Write(new Rule($"[bold]{Markup.Escape(model.Title)}[/] — démonstration sur données [bold yellow]SYNTHÉTIQUES[/]").LeftJustified());
        _console.MarkupLine(
            $"Panel fictif de [bold]{Inputs.Plural(panel.Count, "collectivité", "collectivités")}[/] (codes {Markup.Escape(Core.Synthetic.SyntheticPanel.CodePrefix)}…), par type : "
            + Markup.Escape(string.Join(" ; ", panel.Respondents.GroupBy(r => r.Type ?? "type non renseigné").OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"))) + ".");
        _console.MarkupLine("[dim]Ces chiffres illustrent l'outil ; ils ne décrivent aucune collectivité réelle.[/]");
        _console.WriteLine();
        WriteKeyFigures(model, results);
        WriteRanking(results);
        WriteCorrelations(model, results);
        WriteSegments(model, results);
    }

    public void WriteFiles(string panelPath, string resultsPath, long seed)
    {
        _console.MarkupLine($"Panel écrit dans [bold]{Markup.Escape(panelPath)}[/], résultats dans [bold]{Markup.Escape(resultsPath)}[/].");
        _console.MarkupLine($"Recalculez-les avec : [bold]barometre compute --model {DemoCommand.ModelId} --responses {Markup.Escape(panelPath)} --seed {seed}[/]");
    }

    public void WriteNextSteps() =>
        _console.MarkupLine("Pour obtenir le panel en CSV et les résultats en JSON : [bold]barometre demo --out demo[/] ; puis [bold]barometre compute --help[/].");

    private void WriteKeyFigures(MaturityModel model, BarometerResults results)
    {
        var table = new Table().Title("[bold]Chiffres clés[/]").Border(TableBorder.Rounded).Expand();
        table.AddColumn("Thème");
        table.AddColumn(new TableColumn("Valeur").RightAligned());
        table.AddColumn("Constat");
        table.AddColumn(new TableColumn("IC 95 %").RightAligned());
        table.AddColumn(new TableColumn("n").RightAligned());
        foreach (var indicator in results.Indicators)
        {
            var theme = model.Themes[model.ThemeOfQuestion[model.IndexOfQuestion(indicator.Question)]];
            var statement = indicator.Statement.Length > 0 ? indicator.Statement : indicator.Id;
            table.AddRow(
                Markup.Escape(theme.Title),
                indicator.Value is { } v ? $"[bold]{FrenchFormat.Percent(v)}[/]" : "—",
                Markup.Escape(RemoveLeadingValue(statement, indicator.Value)),
                Markup.Escape(FormatInterval(indicator.Ci95, percent: true)),
                FrenchFormat.Count(indicator.Answered));
        }
        _console.Write(table);
        _console.WriteLine();
    }

    private void WriteRanking(BarometerResults results)
    {
        var table = new Table().Title("[bold]Classement des thèmes[/] (score moyen de maturité, 0 à 100)").Border(TableBorder.Rounded).Expand();
        table.AddColumn(new TableColumn("Rang").RightAligned());
        table.AddColumn("Thème");
        table.AddColumn(new TableColumn("Score moyen").RightAligned());
        table.AddColumn(new TableColumn("IC 95 % (bootstrap)").RightAligned());
        table.AddColumn(new TableColumn("Médiane [[Q1 ; Q3]]").RightAligned());
        table.AddColumn(new TableColumn("α de Cronbach").RightAligned());
        foreach (var theme in results.Themes.Where(t => t.Rank is not null).OrderBy(t => t.Rank))
        {
            table.AddRow(
                theme.Rank!.Value.ToString(FrenchFormat.Numbers),
                Markup.Escape(theme.Title),
                $"[bold]{FormatNumber(theme.Mean)}[/]",
                Markup.Escape(FormatInterval(theme.Ci95, percent: false)),
                Markup.Escape($"{FormatNumber(theme.Median)} [{FormatNumber(theme.Q1)} ; {FormatNumber(theme.Q3)}]"),
                FormatNumber(theme.Alpha, 2));
        }
        _console.Write(table);
        var ranked = results.Themes.Where(t => t.Rank is not null).OrderBy(t => t.Rank).ToList();
        if (ranked.Count >= 2)
        {
            _console.MarkupLine($"Thème le plus mûr : [bold]{Markup.Escape(ranked[0].Title)}[/] ; le moins mûr : [bold]{Markup.Escape(ranked[^1].Title)}[/].");
        }
        _console.WriteLine();
    }

    private void WriteCorrelations(MaturityModel model, BarometerResults results)
    {
        var c = results.Correlations;
        var strong = new List<(string A, string B, double R, double P)>();
        for (var i = 0; i < c.Themes.Count; i++)
        {
            for (var j = i + 1; j < c.Themes.Count; j++)
            {
                if (c.Pearson[i][j] is { } r && c.PValues[i][j] is { } p && Math.Abs(r) >= 0.6 && p < 0.05)
                {
                    strong.Add((model.Themes[i].Title, model.Themes[j].Title, r, p));
                }
            }
        }
        if (strong.Count == 0)
        {
            _console.MarkupLine("[bold]Corrélations[/] : aucun couple de thèmes fortement corrélé (|r| ≥ 0,6 et p < 0,05).");
        }
        else
        {
            _console.MarkupLine("[bold]Thèmes fortement corrélés[/] (|r| ≥ 0,6 et p < 0,05) :");
            foreach (var (a, b, r, p) in strong.OrderByDescending(s => Math.Abs(s.R)))
            {
                _console.MarkupLine($"  • {Markup.Escape(a)} × {Markup.Escape(b)} : r = {FrenchFormat.Number(r, 2)} (p {Markup.Escape(FormatP(p))})");
            }
        }
        _console.WriteLine();
    }

    private void WriteSegments(MaturityModel model, BarometerResults results)
    {
        var segments = results.Segments;
        if (segments.Groups.Count == 0)
        {
            _console.MarkupLine("[bold]Segments[/] : trop peu de collectivités avec un indice global pour segmenter le panel.");
            return;
        }
        var table = new Table().Title($"[bold]Segments[/] (k-means, k = {segments.K} ; silhouette {FormatNumber(segments.Silhouette, 2)})").Border(TableBorder.Rounded).Expand();
        table.AddColumn("Segment");
        table.AddColumn(new TableColumn("Collectivités").RightAligned());
        table.AddColumn(new TableColumn("Indice moyen").RightAligned());
        table.AddColumn("Points forts");
        table.AddColumn("Points faibles");
        foreach (var group in segments.Groups)
        {
            var byScore = model.Themes.Where(t => group.Centroid.GetValueOrDefault(t.Id) is not null)
                .OrderByDescending(t => group.Centroid[t.Id]).ToList();
            table.AddRow(
                $"[bold]{Markup.Escape(group.Label)}[/]",
                FrenchFormat.Count(group.Size),
                FormatNumber(group.MeanIndex),
                Markup.Escape(string.Join(", ", byScore.Take(2).Select(t => t.Title))),
                Markup.Escape(string.Join(", ", byScore.TakeLast(2).Reverse().Select(t => t.Title))));
        }
        _console.Write(table);
        _console.WriteLine();
    }

    /// <summary>The statement without its leading value, since the value has a column of its own.</summary>
    private static string RemoveLeadingValue(string statement, double? value)
    {
        if (value is { } v)
        {
            var prefix = FrenchFormat.Percent(v) + " ";
            if (statement.StartsWith(prefix, StringComparison.Ordinal))
            {
                var rest = statement[prefix.Length..];
                return rest.Length > 0 ? char.ToUpper(rest[0], System.Globalization.CultureInfo.InvariantCulture) + rest[1..] : rest;
            }
        }
        return statement;
    }

    private static string FormatNumber(double? value, int decimals = 1) => value is { } v ? FrenchFormat.Number(v, decimals) : "—";

    private static string FormatInterval(Interval interval, bool percent)
    {
        if (interval.Low is not { } low || interval.High is not { } high)
        {
            return "—";
        }
        return percent
            ? $"{FrenchFormat.Percent(low)} – {FrenchFormat.Percent(high)}"
            : $"{FrenchFormat.Number(low, 1)} – {FrenchFormat.Number(high, 1)}";
    }

    private static string FormatP(double p) => p < 0.001 ? "< 0,001" : "= " + FrenchFormat.Number(p, 3);
}
