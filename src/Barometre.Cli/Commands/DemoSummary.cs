using Barometre.Core;
using Barometre.Core.Evolution;
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

    public void WriteEvolutionFiles(string panelPath, string evolutionPath, string earlierPanelPath, long seed)
    {
        _console.MarkupLine($"Panel de l'édition suivante écrit dans [bold]{Markup.Escape(panelPath)}[/], évolution dans [bold]{Markup.Escape(evolutionPath)}[/].");
        _console.MarkupLine(
            $"Recalculez-la avec : [bold]barometre compare --before-model {DemoCommand.ModelId} --before {Markup.Escape(earlierPanelPath)}"
            + $" --after-model {DemoCommand.FollowUpModelId} --after {Markup.Escape(panelPath)} --seed {seed}[/]");
    }

    /// <summary>
    /// What changed between the synthetic edition and its follow-up: who answered both, each comparable theme and key
    /// indicator with its change and whether it is significant, and what cannot be compared.
    /// </summary>
    public void WriteEvolution(EditionMapping mapping, EvolutionResults evolution)
    {
        var (then, now) = (EditionOf(mapping.Earlier), EditionOf(mapping.Later));
        _console.Write(new Rule($"[bold]Évolution {Markup.Escape(then)} → {Markup.Escape(now)}[/] — édition suivante, elle aussi [bold yellow]SYNTHÉTIQUE[/], sur le référentiel {Markup.Escape(mapping.Later.Id)}").LeftJustified());
        _console.MarkupLine(
            $"Panel {Markup.Escape(now)} de [bold]{Inputs.Plural(evolution.After.Respondents, "collectivité", "collectivités")}[/] : "
            + $"[bold]{FrenchFormat.Count(evolution.Overlap)}[/] {Has(evolution.Overlap)} répondu aux deux éditions, "
            + $"{FrenchFormat.Count(evolution.Before.Respondents - evolution.Overlap)} {Has(evolution.Before.Respondents - evolution.Overlap)} quitté le panel, "
            + $"{FrenchFormat.Count(evolution.After.Respondents - evolution.Overlap)} l'{Has(evolution.After.Respondents - evolution.Overlap)} rejoint.");
        var index = evolution.Index;
        _console.MarkupLine(
            $"Indice global moyen : [bold]{FormatNumber(index.After)}[/] ({FormatNumber(index.Before)} en {Markup.Escape(then)}), "
            + $"{Markup.Escape(FormatChange(index.Delta, percent: false))} — évolution {Markup.Escape(Significance(index))}.");
        _console.WriteLine();

        var themes = new Table().Title("[bold]Évolution des thèmes[/] (score moyen, 0 à 100), du plus au moins en progrès").Border(TableBorder.Rounded).Expand();
        themes.AddColumn("Thème");
        themes.AddColumn(new TableColumn(Markup.Escape(now)).RightAligned());
        themes.AddColumn(new TableColumn(Markup.Escape(then)).RightAligned());
        themes.AddColumn(new TableColumn("Évolution").RightAligned());
        themes.AddColumn(new TableColumn("IC 95 % (bootstrap)").RightAligned());
        themes.AddColumn("Significativité");
        foreach (var theme in evolution.Themes.OrderByDescending(t => t.Change.Delta ?? double.NegativeInfinity))
        {
            var earlierTitles = string.Join(" + ", theme.BeforeIds.Select(id => mapping.Earlier.Themes[mapping.Earlier.IndexOfTheme(id)].Title));
            themes.AddRow(
                Markup.Escape(theme.Title + (earlierTitles == theme.Title ? "" : $" (en {then} : {earlierTitles})")),
                $"[bold]{FormatNumber(theme.Change.After)}[/]",
                FormatNumber(theme.Change.Before),
                Markup.Escape(FormatChange(theme.Change.Delta, percent: false)),
                Markup.Escape(FormatInterval(theme.Change.Ci95, percent: false)),
                Markup.Escape(Significance(theme.Change)));
        }
        _console.Write(themes);
        _console.WriteLine();

        var indicators = new Table().Title("[bold]Évolution des chiffres clés[/]").Border(TableBorder.Rounded).Expand();
        indicators.AddColumn("Chiffre clé");
        indicators.AddColumn(new TableColumn("Valeur").RightAligned());
        indicators.AddColumn(new TableColumn("Évolution").RightAligned());
        indicators.AddColumn("Significativité");
        foreach (var indicator in evolution.Indicators.OrderByDescending(i => Math.Abs(i.Change.Delta ?? 0)))
        {
            var value = indicator.Change.After is { } after ? FrenchFormat.Percent(after) : "—";
            var earlier = indicator.Change.Before is { } before ? FrenchFormat.Percent(before) : "—";
            indicators.AddRow(
                Markup.Escape(indicator.Title ?? indicator.Id),
                Markup.Escape($"{value} ({earlier} en {then})"),
                Markup.Escape(FormatChange(indicator.Change.Delta, percent: true)),
                Markup.Escape(Significance(indicator.Change)));
        }
        _console.Write(indicators);

        _console.MarkupLine("[bold]Non comparables[/] (ni évolution ni test) :");
        WriteNotComparable(mapping.Earlier, then, evolution.NotComparable.Before);
        WriteNotComparable(mapping.Later, now, evolution.NotComparable.After);
        _console.WriteLine();
    }

    /// <summary>Each theme with its reason, then how many questions and key indicators of that edition are not compared.</summary>
    private void WriteNotComparable(MaturityModel model, string edition, IReadOnlyList<NotComparable> measures)
    {
        foreach (var theme in measures.Where(m => m.Kind == MeasureKind.Theme))
        {
            _console.MarkupLine($"  • {Markup.Escape($"« {model.Themes[model.IndexOfTheme(theme.Id)].Title} » ({edition}) : {theme.Reason}")}");
        }
        var questions = measures.Count(m => m.Kind == MeasureKind.Question);
        var indicators = measures.Count(m => m.Kind == MeasureKind.Indicator);
        if (questions + indicators > 0)
        {
            _console.MarkupLine($"  • {Markup.Escape($"en {edition} : {Inputs.Plural(questions, "question", "questions")} et {Inputs.Plural(indicators, "chiffre clé", "chiffres clés")} sans équivalent comparable")}");
        }
    }

    /// <summary>Whether the change is significant at 5 %, by the test that decides it (<see cref="MeasureChange.IsSignificant"/>), with its p-value.</summary>
    private static string Significance(MeasureChange change)
    {
        var test = change.Paired.N > 0 ? change.Paired : change.Unpaired;
        if (test.PValue is not { } p)
        {
            return "non testable";
        }
        var name = test.Test switch
        {
            "wilcoxon" => "Wilcoxon apparié",
            "mcnemar" => "McNemar apparié",
            "mann-whitney" => "Mann-Whitney",
            _ => "deux proportions",
        };
        return $"{(change.IsSignificant ? "significative" : "non significative")} ({name}, {FrenchFormat.PValue(p)})";
    }

    /// <summary>« +4,2 points », « −3 points »: a change of a score, or of a share in percentage points.</summary>
    private static string FormatChange(double? delta, bool percent)
    {
        if (delta is not { } d)
        {
            return "—";
        }
        var decimals = percent ? 0 : 1;
        var rounded = Math.Round(percent ? d * 100 : d, decimals, MidpointRounding.AwayFromZero);
        // French puts the plural from 2 on: « 1,5 point », « 2 points ».
        return $"{(rounded > 0 ? "+" : "")}{FrenchFormat.Number(rounded, decimals)} {(Math.Abs(rounded) < 2 ? "point" : "points")}";
    }

    /// <summary>« a » or « ont »: French makes 0 and 1 singular.</summary>
    private static string Has(int count) => count > 1 ? "ont" : "a";

    private static string EditionOf(MaturityModel model) => string.IsNullOrWhiteSpace(model.Edition) ? model.Id : model.Edition;

    public void WriteNextSteps() =>
        _console.MarkupLine("Pour obtenir les panels des deux éditions en CSV, les résultats et l'évolution en JSON : [bold]barometre demo --out demo[/] ; puis [bold]barometre compute --help[/].");

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
                _console.MarkupLine($"  • {Markup.Escape(a)} × {Markup.Escape(b)} : r = {FrenchFormat.Number(r, 2)} ({Markup.Escape(FrenchFormat.PValue(p))})");
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

}
