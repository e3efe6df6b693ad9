using System.Globalization;
using Barometre.Core.Model;

namespace Barometre.Data.Import.Surveys;

/// <summary>
/// Turns a survey read from a tool into a <see cref="ModelDraft"/>: groups become themes, questions keep their texts,
/// answer codes become levels (0 … n − 1 as they are, others through the <see cref="LevelMap"/>), and every question
/// that cannot be carried over is noted with its reason, never dropped silently.
/// </summary>
internal static class DraftBuilder
{
    public static ModelDraft Build(SourceSurvey survey, LevelMap levels)
    {
        var notes = new List<InputProblem>(survey.Notes);
        var mapped = new List<(SourceGroup Group, SourceQuestion Question, Dictionary<string, sbyte> Cells, bool Explicit)>();
        var usedTables = new HashSet<string>(StringComparer.Ordinal);
        var notedCodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in survey.Groups)
        {
            foreach (var question in group.Questions)
            {
                if (levels.Questions.ContainsKey(question.Code))
                {
                    usedTables.Add(question.Code);
                }
                if (Cells(question, levels, out var isExplicit) is { } cells)
                {
                    mapped.Add((group, question, cells, isExplicit));
                }
                else if (!notedCodes.Contains(question.Code) || question.Name == question.Code)
                {
                    // An array's items share their answers: one note for the array, not one per item.
                    notes.Add(NotImported(question, isExplicit));
                    notedCodes.Add(question.Code);
                }
            }
        }
        foreach (var (code, table) in levels.Questions.Where(entry => !usedTables.Contains(entry.Key)))
        {
            notes.Add(table.Place.Problem($"--levels : aucune question à réponses de l'enquête n'a le code « {TextRules.Quote(code)} » ; cette table n'a servi à rien"));
        }

        // The model has one scale: the map's, or the size most questions use (the first of them on a tie).
        var size = levels.Scale?.Count ?? mapped
            .Select(entry => LevelCount(entry.Cells))
            .GroupBy(count => count)
            .OrderByDescending(counts => counts.Count())
            .Select(counts => counts.Key)
            .FirstOrDefault();
        var kept = new List<(SourceGroup Group, SourceQuestion Question, Dictionary<string, sbyte> Cells)>();
        foreach (var (group, question, cells, isExplicit) in mapped)
        {
            var count = LevelCount(cells);
            if (isExplicit ? count > size : count != size)
            {
                if (!notedCodes.Add(question.Code) && question.Name != question.Code)
                {
                    continue;
                }
                notes.Add(question.Place.Problem(
                    $"question « {TextRules.Quote(question.Code)} » ({TextRules.Quote(question.Stem)}) non reprise : ses réponses donnent "
                    + $"{count.ToString(CultureInfo.InvariantCulture)} niveaux, l'échelle retenue en a {size.ToString(CultureInfo.InvariantCulture)} ; "
                    + "donnez le niveau de chacune de ses réponses sur cette échelle dans un fichier --levels (questions)"));
                continue;
            }
            kept.Add((group, question, cells));
            foreach (var caveat in question.Caveats.Where(caveat => !notes.Contains(caveat)))
            {
                notes.Add(caveat);
            }
        }

        var scale = levels.Scale?.Select(label => (string?)label).ToList()
            ?? kept.Select(entry => Labels(entry.Question, entry.Cells, size)).FirstOrDefault(labels => labels is not null)?.Select(label => (string?)label).ToList()
            ?? [.. Enumerable.Repeat((string?)null, size)];
        if (kept.Count > 0 && scale.Any(label => label is null))
        {
            notes.Add(new InputProblem(survey.Groups[0].Place.Source, null, null,
                "aucune question ne donne un libellé à chaque niveau de l'échelle : écrivez-les (scale) dans le brouillon ou dans le fichier --levels"));
        }

        var themes = new List<DraftTheme>();
        var themeIds = new HashSet<string>(StringComparer.Ordinal);
        var questionIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in survey.Groups)
        {
            var questions = kept.Where(entry => ReferenceEquals(entry.Group, group)).ToList();
            if (questions.Count == 0)
            {
                notes.Add(group.Place.Problem($"groupe « {TextRules.Quote(group.Title ?? group.Key)} » sans thème : aucune de ses questions n'est reprise"));
                continue;
            }
            var themeId = Unique(SurveyText.Slug(group.Key) ?? "theme", themeIds);
            var draftQuestions = questions.Select(entry =>
            {
                var labels = Labels(entry.Question, entry.Cells, size);
                var help = labels is not null && !labels.SequenceEqual(scale, StringComparer.Ordinal) ? labels : [];
                var labelCells = new Dictionary<string, sbyte>(StringComparer.Ordinal);
                foreach (var answer in entry.Question.Answers)
                {
                    labelCells.TryAdd(answer.Label, entry.Cells[answer.Code]);
                }
                return new DraftQuestion(
                    Unique($"{themeId}.{SurveyText.Code(entry.Question.Name)}", questionIds),
                    entry.Question.Code, entry.Question.Label, help, entry.Cells, labelCells, entry.Question.Headings);
            }).ToList();
            themes.Add(new DraftTheme(themeId, group.Title, group.Description, draftQuestions));
        }
        var id = SurveyText.Slug(survey.Key) ?? "referentiel";
        // In the order of the files, so that the operator reads them alongside the survey.
        List<InputProblem> ordered = [.. notes.OrderBy(note => note.Source, StringComparer.Ordinal).ThenBy(note => note.Line ?? 0).ThenBy(note => note.Column ?? 0)];
        return new ModelDraft(id, survey.Title, survey.Description, scale, themes, ordered);
    }

    /// <summary>
    /// Answer code → cell for a question, through its table in the map, the map's codes, or codes that are levels
    /// already; null when none applies (<paramref name="isExplicit"/> then tells whether the map was looked at).
    /// </summary>
    private static Dictionary<string, sbyte>? Cells(SourceQuestion question, LevelMap levels, out bool isExplicit)
    {
        isExplicit = true;
        if (levels.Questions.TryGetValue(question.Code, out var table))
        {
            return Covering(question, table.Codes);
        }
        if (question.Answers.Count > 0 && question.Answers.All(answer => levels.Codes.ContainsKey(answer.Code)))
        {
            return Covering(question, levels.Codes);
        }
        isExplicit = false;
        var cells = new Dictionary<string, sbyte>(StringComparer.Ordinal);
        foreach (var answer in question.Answers)
        {
            if (!int.TryParse(answer.Code, NumberStyles.None, CultureInfo.InvariantCulture, out var level)
                || level >= question.Answers.Count || level > Scale.MaxLevels - 1
                || level.ToString(CultureInfo.InvariantCulture) != answer.Code || !cells.TryAdd(answer.Code, (sbyte)level))
            {
                return null;
            }
        }
        return cells.Count >= Scale.MinLevels ? cells : null;
    }

    private static Dictionary<string, sbyte>? Covering(SourceQuestion question, IReadOnlyDictionary<string, sbyte> table)
    {
        var cells = new Dictionary<string, sbyte>(StringComparer.Ordinal);
        foreach (var answer in question.Answers)
        {
            if (!table.TryGetValue(answer.Code, out var cell))
            {
                return null;
            }
            cells[answer.Code] = cell;
        }
        return LevelCount(cells) >= 1 ? cells : null;
    }

    private static InputProblem NotImported(SourceQuestion question, bool mapLooked)
    {
        var codes = question.Answers.Select(answer => answer.Code).ToList();
        string reason;
        if (codes.Count < Scale.MinLevels && !mapLooked)
        {
            reason = $"{codes.Count.ToString(CultureInfo.InvariantCulture)} réponse(s) seulement : une échelle compte au moins {Scale.MinLevels} niveaux";
        }
        else if (mapLooked)
        {
            reason = $"le fichier --levels ne donne pas de niveau à chacun de ses codes de réponse ({SurveyText.List(codes)}), ou aucun ne donne un niveau";
        }
        else if (codes.Count > Scale.MaxLevels)
        {
            reason = $"{codes.Count.ToString(CultureInfo.InvariantCulture)} réponses : une échelle compte au plus {Scale.MaxLevels} niveaux ; regroupez-les dans un fichier --levels";
        }
        else
        {
            reason = $"ses codes de réponse ({SurveyText.List(codes)}) ne sont pas les niveaux 0 à {(codes.Count - 1).ToString(CultureInfo.InvariantCulture)} : "
                + "donnez le niveau de chacun dans un fichier --levels (codes, ou questions → " + TextRules.Quote(question.Code) + ")";
        }
        return question.Place.Problem($"question « {TextRules.Quote(question.Code)} » ({TextRules.Quote(question.Stem)}) non reprise : {reason}");
    }

    /// <summary>How many levels a question's cells reach: its highest level plus one.</summary>
    private static int LevelCount(Dictionary<string, sbyte> cells) => cells.Values.Where(cell => cell >= 0).DefaultIfEmpty((sbyte)-1).Max() + 1;

    /// <summary>The answers' labels by level when exactly one answer gives each level of 0 … size − 1; null otherwise.</summary>
    private static List<string>? Labels(SourceQuestion question, Dictionary<string, sbyte> cells, int size)
    {
        var labels = new string?[size];
        foreach (var answer in question.Answers)
        {
            var cell = cells[answer.Code];
            if (cell < 0)
            {
                continue;
            }
            if (cell >= size || labels[cell] is not null)
            {
                return null;
            }
            labels[cell] = answer.Label;
        }
        return labels.Any(label => label is null) ? null : [.. labels.Select(label => label!)];
    }

    private static string Unique(string id, HashSet<string> taken)
    {
        var unique = id;
        for (var n = 2; !taken.Add(unique); n++)
        {
            unique = $"{id}-{n.ToString(CultureInfo.InvariantCulture)}";
        }
        return unique;
    }
}
