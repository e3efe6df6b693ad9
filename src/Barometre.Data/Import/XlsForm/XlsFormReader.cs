using System.Text.RegularExpressions;
using Barometre.Data.Import.Surveys;
using Row = Barometre.Data.Import.XlsForm.XlsFormImport.Row;

namespace Barometre.Data.Import.XlsForm;

/// <summary>One reading of an XLSForm's sheets: the columns by their heading, the choice lists, then the survey rows in order.</summary>
internal sealed partial class XlsFormReader(string source, string fileKey, IReadOnlyDictionary<string, List<Row>> sheets)
{
    private readonly List<InputProblem> _notes = [];

    public ImportResult<SourceSurvey> Read(List<Row> survey)
    {
        var columns = Columns(survey);
        if (!columns.TryGetValue("type", out var typeColumn) || !columns.TryGetValue("name", out var nameColumn))
        {
            return ImportResult.Failure<SourceSurvey>([At("survey", 1, null).Problem("la feuille « survey » doit avoir en première ligne les colonnes « type » et « name »")]);
        }
        var label = LabelColumn(columns, "survey");
        var lists = Lists();
        var (formTitle, formId) = Settings();

        var groups = new List<(string Key, string? Title, Place Place, List<SourceQuestion> Questions)>();
        (string Key, string? Title, Place Place, List<SourceQuestion> Questions)? loose = null;
        var stack = new Stack<(bool Repeat, int Row)>();
        foreach (var row in survey.Skip(1))
        {
            var type = Blanks().Replace(row[typeColumn], " ").Trim();
            var lower = type.ToLowerInvariant();
            var name = row[nameColumn];
            var place = At("survey", row.Number, Column(typeColumn));
            if (type.Length == 0)
            {
                continue;
            }
            if (lower is "begin group" or "begin_group" or "begin repeat" or "begin_repeat")
            {
                var repeat = lower.EndsWith("repeat", StringComparison.Ordinal);
                if (stack.Count == 0 && !repeat)
                {
                    groups.Add((name.Length > 0 ? name : $"groupe-{row.Number}", NullIfEmpty(row[label]), place, []));
                }
                stack.Push((repeat || stack.Any(entry => entry.Repeat), row.Number));
                continue;
            }
            if (lower is "end group" or "end_group" or "end repeat" or "end_repeat")
            {
                if (stack.Count == 0)
                {
                    _notes.Add(place.Problem($"« {TextRules.Quote(type)} » sans « begin » correspondant : ignoré"));
                }
                else
                {
                    stack.Pop();
                }
                continue;
            }
            var text = NullIfEmpty(row[label]) ?? name;
            var what = $"question « {TextRules.Quote(name)} » ({TextRules.Quote(text)}) non reprise";
            var select = SelectOne().Match(type);
            if (!select.Success)
            {
                _notes.Add(place.Problem($"{what} : {Reason(lower)}"));
                continue;
            }
            if (stack.Count > 0 && stack.Peek().Repeat)
            {
                _notes.Add(place.Problem($"{what} : elle est dans une répétition (repeat), qui donne plusieurs réponses par collectivité"));
                continue;
            }
            var list = select.Groups["list"].Value;
            if (!lists.TryGetValue(list, out var answers))
            {
                _notes.Add(place.Problem($"{what} : la liste « {TextRules.Quote(list)} » n'est pas dans la feuille « choices »"));
                continue;
            }
            var caveats = new List<InputProblem>();
            if (select.Groups["other"].Success)
            {
                caveats.Add(place.Problem($"question « {TextRules.Quote(name)} » : l'option « Autre » (or_other) n'est pas reprise"));
            }
            if (columns.TryGetValue("relevant", out var relevant) && row[relevant] is { Length: > 0 } condition)
            {
                caveats.Add(place.Problem($"question « {TextRules.Quote(name)} » : condition d'affichage « {TextRules.Quote(condition)} » non reprise ; dans le baromètre, elle est posée à toutes les collectivités"));
            }
            var question = new SourceQuestion(name, name, text, answers, [name], place, text, caveats);
            if (stack.Count == 0)
            {
                loose ??= (formId ?? fileKey, formTitle, place, []);
                loose.Value.Questions.Add(question);
            }
            else
            {
                groups[^1].Questions.Add(question);
            }
        }
        var sourceGroups = groups.Select(group => new SourceGroup(group.Key, group.Title, null, group.Questions, group.Place)).ToList();
        if (loose is { } outside)
        {
            sourceGroups.Insert(0, new SourceGroup(outside.Key, outside.Title, null, outside.Questions, outside.Place));
            _notes.Add(outside.Place.Problem(
                $"question(s) hors de tout groupe : réunies dans le thème « {TextRules.Quote(SurveyText.Slug(outside.Key) ?? outside.Key)} »"
                + (outside.Title is null ? ", à titrer (title) dans le brouillon" : $", titré comme le formulaire (« {TextRules.Quote(outside.Title)} »)")));
        }
        return ImportResult.Success(new SourceSurvey(formId ?? fileKey, formTitle, null, sourceGroups, _notes));
    }

    /// <summary>Each choice list: its choices' names and labels, in sheet order.</summary>
    private Dictionary<string, IReadOnlyList<SourceAnswer>> Lists()
    {
        var lists = new Dictionary<string, IReadOnlyList<SourceAnswer>>(StringComparer.Ordinal);
        if (!sheets.TryGetValue("choices", out var choices) || choices.Count == 0)
        {
            return lists;
        }
        var columns = Columns(choices);
        var listColumn = columns.GetValueOrDefault("list_name") ?? columns.GetValueOrDefault("list name");
        var name = columns.GetValueOrDefault("name");
        if (listColumn is null || name is null)
        {
            _notes.Add(At("choices", 1, null).Problem("la feuille « choices » n'a pas les colonnes « list_name » et « name » : aucune liste de réponses n'est lue"));
            return lists;
        }
        var label = LabelColumn(columns, "choices");
        foreach (var group in choices.Skip(1).Where(row => row[listColumn].Length > 0).GroupBy(row => row[listColumn]))
        {
            lists[group.Key] = [.. group.Select(row => new SourceAnswer(row[name], NullIfEmpty(row[label]) ?? row[name]))];
        }
        return lists;
    }

    private (string? Title, string? Id) Settings()
    {
        if (!sheets.TryGetValue("settings", out var settings) || settings.Count < 2)
        {
            return (null, null);
        }
        var columns = Columns(settings);
        return (NullIfEmpty(settings[1][columns.GetValueOrDefault("form_title")]), NullIfEmpty(settings[1][columns.GetValueOrDefault("form_id")]));
    }

    /// <summary>Heading (lower case, blanks collapsed; labels as written) → column letter, from a sheet's first row.</summary>
    private static Dictionary<string, string> Columns(List<Row> sheet)
    {
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        if (sheet.Count == 0)
        {
            return columns;
        }
        foreach (var (letter, heading) in sheet[0].Cells)
        {
            var key = Blanks().Replace(heading.Trim(), " ");
            if (key.Length > 0)
            {
                columns.TryAdd(key.StartsWith("label", StringComparison.OrdinalIgnoreCase) ? key : key.ToLowerInvariant(), letter);
            }
        }
        return columns;
    }

    /// <summary>The label column to read: a French one (<c>label::French (fr)</c>, <c>label::fr</c>…), else <c>label</c>, else the first; noted when not French.</summary>
    private string? LabelColumn(Dictionary<string, string> columns, string sheet)
    {
        var labels = columns.Keys.Where(key => key.Equals("label", StringComparison.OrdinalIgnoreCase) || key.StartsWith("label:", StringComparison.OrdinalIgnoreCase)).ToList();
        var french = labels.FirstOrDefault(key => FrenchLabel().IsMatch(key));
        var chosen = french ?? labels.FirstOrDefault(key => key.Equals("label", StringComparison.OrdinalIgnoreCase)) ?? labels.FirstOrDefault();
        if (chosen is null)
        {
            _notes.Add(At(sheet, 1, null).Problem($"feuille « {sheet} » sans colonne « label » : les codes (name) tiennent lieu de libellés"));
            return null;
        }
        if (french is null && labels.Count > 1)
        {
            _notes.Add(At(sheet, 1, Column(columns[chosen])).Problem($"feuille « {sheet} » : pas de libellés en français ; repris de la colonne « {TextRules.Quote(chosen)} », les autres ({SurveyText.List(labels.Where(key => key != chosen))}) non repris"));
        }
        else if (french is null && chosen.Contains(':', StringComparison.Ordinal))
        {
            _notes.Add(At(sheet, 1, Column(columns[chosen])).Problem($"feuille « {sheet} » : libellés repris de la colonne « {TextRules.Quote(chosen)} », qui n'est pas en français ; traduisez-les dans le brouillon"));
        }
        return columns[chosen];
    }

    private static string Reason(string type) => type.Split(' ')[0] switch
    {
        "select_multiple" or "select" => "choix multiple : une question du baromètre a une seule réponse sur l'échelle",
        "select_one_from_file" or "select_multiple_from_file" => "liste de réponses dans un fichier externe",
        "text" => "texte libre",
        "integer" or "decimal" or "range" => "réponse numérique",
        "date" or "time" or "datetime" => "date ou heure",
        "note" => "texte d'information, sans réponse",
        "calculate" or "hidden" => "calcul, sans réponse",
        "acknowledge" => "case à cocher d'accord",
        "geopoint" or "geotrace" or "geoshape" => "position géographique",
        "image" or "audio" or "video" or "file" or "background-audio" => "fichier joint",
        "rank" => "classement",
        "barcode" => "code-barres",
        "start" or "end" or "today" or "deviceid" or "username" or "phonenumber" or "simserial" or "subscriberid" or "email" or "audit" or "start-geopoint" =>
            "métadonnée collectée par l'outil, pas une question",
        _ => "ce n'est pas une question à choix unique (select_one)",
    };

    private Place At(string sheet, int row, int? column) => new($"{source}[{sheet}]", row, column);

    /// <summary>A column letter as a number (A → 1, AA → 27).</summary>
    private static int Column(string letters) => letters.Aggregate(0, (number, letter) => (number * 26) + (char.ToUpperInvariant(letter) - 'A' + 1));

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    [GeneratedRegex(@"^(select_one|select one from|select one)\s+(?<list>[^\s]+)(\s+(?<other>or_other))?$", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex SelectOne();

    [GeneratedRegex(@"[:\s(]fr\b|french|fran[cç]ais", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex FrenchLabel();

    [GeneratedRegex(@"\s+", RegexOptions.NonBacktracking)]
    private static partial Regex Blanks();
}
