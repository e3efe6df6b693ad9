using System.Globalization;
using Barometre.Data.Import.Surveys;

namespace Barometre.Data.Import.LimeSurvey;

/// <summary>
/// Reads a LimeSurvey survey structure (.lss, either generation: texts inline up to LimeSurvey 3, in <c>*_l10ns</c>
/// tables from 4 on) into a <see cref="ModelDraft"/>: question groups become themes; list questions (radio, dropdown,
/// with comment, five-point, yes/no) and each item of an array become questions; answer codes become levels through the
/// <see cref="LevelMap"/> when they are not 0 … n − 1. Everything else is noted with its reason. Texts are taken in
/// French when the survey has it, else in its base language.
/// </summary>
public static class LimeSurveyImport
{
    /// <summary>Reads an .lss file.</summary>
    public static ImportResult<ModelDraft> Load(string path, LevelMap levels) => SurveyFile.Load(path, stream => Read(stream, path, levels));

    /// <summary>Reads an .lss from a stream; <paramref name="source"/> names it in problems and notes.</summary>
    public static ImportResult<ModelDraft> Read(Stream stream, string source, LevelMap levels)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(levels);
        var document = LssDocument.Read(stream, source);
        if (document.Value is not { } lss)
        {
            return ImportResult.Failure<ModelDraft>(document.Problems);
        }
        var survey = new LssSurveyReader(lss).Read();
        return survey.Value is { } value ? ImportResult.Success(DraftBuilder.Build(value, levels)) : ImportResult.Failure<ModelDraft>(survey.Problems);
    }
}

/// <summary>One reading of an .lss: the language chosen, then groups, questions and answers in display order.</summary>
internal sealed class LssSurveyReader(LssDocument lss)
{
    private readonly List<InputProblem> _problems = [];
    private readonly List<InputProblem> _notes = [];
    private string _language = "";
    private bool _legacy;

    public ImportResult<SourceSurvey> Read()
    {
        _legacy = !lss.HasL10nTables;
        var surveyRow = lss.Rows("surveys") is [var first, ..] ? first : null;
        ChooseLanguage(surveyRow);
        var settings = lss.Rows("surveys_languagesettings").FirstOrDefault(row => row["surveyls_language"] == _language)
            ?? (lss.Rows("surveys_languagesettings") is [var any, ..] ? any : null);
        var sid = surveyRow?["sid"] ?? "";
        var title = SurveyText.Plain(settings?.Raw("surveyls_title"));
        var description = SurveyText.Plain(settings?.Raw("surveyls_description"));

        if (!lss.HasTable("groups") || !lss.HasTable("questions"))
        {
            return ImportResult.Failure<SourceSurvey>([lss.Place.Problem("l'enquête n'a pas de table « groups » ou « questions » : exportez la structure complète de l'enquête (.lss)")]);
        }
        var groups = Groups();
        var questions = Questions();
        var answers = Answers();
        var attributes = lss.Rows("question_attributes")
            .Where(row => row["attribute"] is "array_filter" or "array_filter_exclude" && row["value"].Length > 0)
            .GroupBy(row => row.Integer("qid") ?? 0)
            .ToDictionary(rows => rows.Key, rows => string.Join(", ", rows.Select(row => $"{row["attribute"]} = {row["value"]}")));
        var conditioned = lss.Rows("conditions").Select(row => row.Integer("qid") ?? 0).ToHashSet();
        NoteSurveyTables();
        if (_problems.Count > 0)
        {
            return ImportResult.Failure<SourceSurvey>(_problems);
        }

        var sourceGroups = new List<SourceGroup>();
        foreach (var group in groups.OrderBy(group => group.Order).ThenBy(group => group.Gid))
        {
            if (group.Relevance is { } relevance)
            {
                _notes.Add(group.Place.Problem($"groupe « {TextRules.Quote(group.Name ?? group.Gid.ToString(CultureInfo.InvariantCulture))} » : condition d'affichage « {TextRules.Quote(relevance)} » non reprise ; dans le baromètre, ses questions sont posées à toutes les collectivités"));
            }
            var items = new List<SourceQuestion>();
            foreach (var question in questions.Where(q => q.Gid == group.Gid && q.Parent == 0).OrderBy(q => q.Order).ThenBy(q => q.Qid))
            {
                var conditions = new List<string>();
                var caveats = new List<InputProblem>();
                if (question.Relevance is { } relevance2)
                {
                    conditions.Add($"« {TextRules.Quote(relevance2)} »");
                }
                if (conditioned.Contains(question.Qid))
                {
                    conditions.Add("table « conditions »");
                }
                if (attributes.TryGetValue(question.Qid, out var filter))
                {
                    conditions.Add(filter);
                }
                if (conditions.Count > 0)
                {
                    caveats.Add(question.Place.Problem($"question « {TextRules.Quote(question.Code)} » : condition d'affichage non reprise ({string.Join(" ; ", conditions)}) ; dans le baromètre, elle est posée à toutes les collectivités"));
                }
                items.AddRange(Items(sid, question, questions, answers, caveats));
            }
            sourceGroups.Add(new SourceGroup(group.Name ?? $"groupe-{group.Gid.ToString(CultureInfo.InvariantCulture)}", group.Name, group.Description, items, group.Place));
        }
        foreach (var orphan in questions.Where(q => q.Parent == 0 && groups.All(group => group.Gid != q.Gid)))
        {
            _notes.Add(orphan.Place.Problem($"question « {TextRules.Quote(orphan.Code)} » non reprise : son groupe (gid {orphan.Gid.ToString(CultureInfo.InvariantCulture)}) n'existe pas dans le fichier"));
        }
        var key = title ?? (sid.Length > 0 ? $"limesurvey-{sid}" : "limesurvey");
        return ImportResult.Success(new SourceSurvey(key, title, description, sourceGroups, _notes));
    }

    /// <summary>French when the survey has it, else its base language; the others are noted as not carried over.</summary>
    private void ChooseLanguage(LssRow? surveyRow)
    {
        var languages = new List<string>();
        if (surveyRow is not null)
        {
            languages.Add(surveyRow["language"]);
            languages.AddRange(surveyRow["additional_languages"].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        languages.AddRange((lss.Root.Element("languages")?.Elements("language") ?? []).Select(element => element.Value.Trim()));
        languages = [.. languages.Where(language => language.Length > 0).Distinct(StringComparer.Ordinal)];
        _language = languages.FirstOrDefault(language => language == "fr" || language.StartsWith("fr-", StringComparison.Ordinal))
            ?? languages.FirstOrDefault() ?? "";
        var place = surveyRow?.Place ?? lss.Place;
        if (_language.Length > 0 && !_language.StartsWith("fr", StringComparison.Ordinal))
        {
            _notes.Add(place.Problem($"l'enquête n'a pas de version française : les textes sont repris dans sa langue de base, « {TextRules.Quote(_language)} » ; traduisez-les dans le brouillon"));
        }
        var others = languages.Where(language => language != _language).ToList();
        if (others.Count > 0)
        {
            _notes.Add(place.Problem($"langue(s) non reprise(s) : {SurveyText.List(others)} ; un référentiel est rédigé en français"));
        }
    }

    private void NoteSurveyTables()
    {
        foreach (var (table, what) in new[] { ("assessments", "les évaluations (assessments)"), ("quota", "les quotas"), ("defaultvalues", "les valeurs par défaut") })
        {
            if (lss.Rows(table) is [var row, ..])
            {
                _notes.Add(row.Place.Problem($"{what} de l'enquête ne sont pas repris : le baromètre n'en a pas"));
            }
        }
    }

    private sealed record Group(int Gid, int Order, string? Name, string? Description, string? Relevance, Place Place);

    private sealed record Question(int Qid, int Parent, int Gid, string Type, string Code, string? Text, int Order, bool Other, string? Relevance, int ScaleId, Place Place);

    private sealed record Answer(int Qid, string Code, string Label, int Order, int ScaleId);

    private List<Group> Groups()
    {
        var texts = Texts("group_l10ns", "gid");
        var groups = new List<Group>();
        foreach (var row in lss.Rows("groups").Where(row => !_legacy || InLanguage(row)))
        {
            if (Id(row, "gid", "groups") is not { } gid)
            {
                continue;
            }
            var text = _legacy ? row : texts!.GetValueOrDefault(gid);
            groups.Add(new Group(gid, row.Integer("group_order") ?? 0, SurveyText.Plain(text?.Raw("group_name")), SurveyText.Plain(text?.Raw("description")), Relevance(row["grelevance"]), row.Place));
        }
        return groups;
    }

    private List<Question> Questions()
    {
        var texts = Texts("question_l10ns", "qid");
        var questions = new List<Question>();
        var seen = new HashSet<int>();
        foreach (var (table, row) in lss.Rows("questions").Select(row => ("questions", row)).Concat(lss.Rows("subquestions").Select(row => ("subquestions", row))))
        {
            if ((_legacy && !InLanguage(row)) || Id(row, "qid", table) is not { } qid || !seen.Add(qid))
            {
                continue;
            }
            var parent = row.Integer("parent_qid") ?? 0;
            var code = row["title"];
            var type = row["type"];
            if (code.Length == 0 || (parent == 0 && type.Length == 0))
            {
                _problems.Add(row.Place.Problem($"table « {table} » : la question {qid.ToString(CultureInfo.InvariantCulture)} n'a pas de {(code.Length == 0 ? "code (title)" : "type")}"));
                continue;
            }
            var text = _legacy ? row.Raw("question") : texts!.GetValueOrDefault(qid)?.Raw("question");
            questions.Add(new Question(qid, parent, row.Integer("gid") ?? 0, type, code, SurveyText.Plain(text), row.Integer("question_order") ?? 0,
                row["other"] == "Y", Relevance(row["relevance"]), row.Integer("scale_id") ?? 0, row.Place));
        }
        return questions;
    }

    private List<Answer> Answers()
    {
        var texts = Texts("answer_l10ns", "aid");
        var answers = new List<Answer>();
        foreach (var row in lss.Rows("answers").Where(row => !_legacy || InLanguage(row)))
        {
            if (Id(row, "qid", "answers") is not { } qid)
            {
                continue;
            }
            var text = _legacy ? row.Raw("answer") : texts!.GetValueOrDefault(row.Integer("aid") ?? -1)?.Raw("answer");
            var code = row["code"];
            answers.Add(new Answer(qid, code, SurveyText.Plain(text) ?? code, row.Integer("sortorder") ?? 0, row.Integer("scale_id") ?? 0));
        }
        return answers;
    }

    /// <summary>The model questions a survey question gives: itself (a list), one per item (an array), or none, noted.</summary>
    private IEnumerable<SourceQuestion> Items(string sid, Question question, List<Question> questions, List<Answer> answers, List<InputProblem> caveats)
    {
        var label = question.Text ?? question.Code;
        var sgqa = $"{sid}X{question.Gid.ToString(CultureInfo.InvariantCulture)}X{question.Qid.ToString(CultureInfo.InvariantCulture)}";
        IReadOnlyList<SourceAnswer> Options() => ImplicitAnswers.TryGetValue(question.Type, out var fixedAnswers)
            ? fixedAnswers
            : [.. answers.Where(a => a.Qid == question.Qid && a.ScaleId == 0).OrderBy(a => a.Order).ThenBy(a => a.Code, StringComparer.Ordinal).Select(a => new SourceAnswer(a.Code, a.Label))];

        if (question.Type is "L" or "!" or "O" or "5" or "Y")
        {
            if (question.Other)
            {
                caveats.Add(question.Place.Problem($"question « {TextRules.Quote(question.Code)} » : l'option « Autre » (réponse libre) n'est pas reprise ; une réponse « Autre » devient une cellule vide"));
            }
            if (question.Type == "O")
            {
                caveats.Add(question.Place.Problem($"question « {TextRules.Quote(question.Code)} » : le commentaire qui accompagne la réponse n'est pas repris"));
            }
            return [new SourceQuestion(question.Code, question.Code, label, Options(), [question.Code, sgqa, label], question.Place, label, caveats)];
        }
        if (question.Type is "F" or "H" or "A" or "B" or "C" or "E")
        {
            var options = Options();
            var subquestions = questions.Where(q => q.Parent == question.Qid && q.ScaleId == 0).OrderBy(q => q.Order).ThenBy(q => q.Qid).ToList();
            if (subquestions.Count == 0)
            {
                _notes.Add(question.Place.Problem($"question « {TextRules.Quote(question.Code)} » ({TextRules.Quote(label)}) non reprise : ce tableau n'a aucune sous-question"));
            }
            return subquestions.Select(item =>
            {
                var itemText = item.Text ?? item.Code;
                return new SourceQuestion(question.Code, $"{question.Code}_{item.Code}", $"{label} — {itemText}", options,
                    [$"{question.Code}[{item.Code}]", $"{question.Code}_{item.Code}", sgqa + item.Code, $"{label} [{itemText}]"], item.Place, label, caveats);
            });
        }
        var reason = Unmappable.TryGetValue(question.Type, out var why) ? why : $"type de question « {TextRules.Quote(question.Type)} » inconnu";
        _notes.Add(question.Place.Problem($"question « {TextRules.Quote(question.Code)} » ({TextRules.Quote(label)}) non reprise : {reason}"));
        return [];
    }

    /// <summary>The answers of the types whose options LimeSurvey fixes itself (no <c>answers</c> rows).</summary>
    private static readonly Dictionary<string, IReadOnlyList<SourceAnswer>> ImplicitAnswers = new(StringComparer.Ordinal)
    {
        ["5"] = Numbered(5),
        ["A"] = Numbered(5),
        ["B"] = Numbered(10),
        ["Y"] = [new("Y", "Oui"), new("N", "Non")],
        ["C"] = [new("Y", "Oui"), new("U", "Incertain"), new("N", "Non")],
        ["E"] = [new("I", "Augmente"), new("S", "Stable"), new("D", "Diminue")],
    };

    private static SourceAnswer[] Numbered(int count) =>
        [.. Enumerable.Range(1, count).Select(n => n.ToString(CultureInfo.InvariantCulture)).Select(code => new SourceAnswer(code, code))];

    /// <summary>Why each other question type has no place in a maturity model (FORMAT.md §1).</summary>
    private static readonly Dictionary<string, string> Unmappable = new(StringComparer.Ordinal)
    {
        ["M"] = "choix multiple : une question du baromètre a une seule réponse sur l'échelle",
        ["P"] = "choix multiple avec commentaires : une question du baromètre a une seule réponse sur l'échelle",
        ["R"] = "classement : une question du baromètre a une seule réponse sur l'échelle",
        ["S"] = "texte libre",
        ["T"] = "texte libre",
        ["U"] = "texte libre",
        ["Q"] = "textes libres multiples",
        ["N"] = "réponse numérique",
        ["K"] = "réponses numériques multiples",
        ["D"] = "date",
        ["X"] = "texte d'information, sans réponse",
        ["*"] = "équation, sans réponse",
        ["|"] = "dépôt de fichier",
        ["I"] = "choix de la langue",
        ["G"] = "genre : ce n'est pas une pratique à mesurer",
        ["1"] = "tableau à double échelle : une question du baromètre a une seule échelle",
        [":"] = "tableau de nombres",
        [";"] = "tableau de textes",
    };

    /// <summary>The rows of an <c>*_l10ns</c> table in the language read, by the id they translate; null for the legacy generation.</summary>
    private Dictionary<int, LssRow>? Texts(string table, string key) => _legacy
        ? null
        : lss.Rows(table).Where(InLanguage).GroupBy(row => row.Integer(key) ?? -1).ToDictionary(rows => rows.Key, rows => rows.First());

    private bool InLanguage(LssRow row) => !row.Values.ContainsKey("language") || row["language"] == _language;

    private int? Id(LssRow row, string column, string table)
    {
        if (row.Integer(column) is { } id)
        {
            return id;
        }
        _problems.Add(row.Place.Problem($"table « {table} » : « {column} » vaut « {TextRules.Quote(row[column])} », attendu un entier"));
        return null;
    }

    /// <summary>A display condition, or null when there is none (empty or « 1 », always shown).</summary>
    private static string? Relevance(string relevance) => relevance.Length == 0 || relevance == "1" ? null : relevance;
}
