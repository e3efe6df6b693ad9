using System.Globalization;
using Barometre.Core.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Barometre.Data.Import;

/// <summary>
/// Loads maturity model files (YAML, which includes JSON) into a validated <see cref="MaturityModel"/>,
/// reporting every problem at once with its file, line and id.
/// </summary>
/// <remarks>
/// Keys: <c>id</c>, <c>title</c>, <c>edition</c>, <c>description</c>, <c>scale</c> (list of
/// <c>level</c>/<c>label</c>; the 2019 scale when absent), <c>themes</c> (<c>id</c>, <c>title</c>,
/// <c>short</c>, <c>weight</c>, <c>description</c>, <c>questions</c> with <c>id</c>, <c>label</c>, <c>help</c>) and
/// <c>indicators</c> (<c>id</c>, <c>question</c>, <c>predicate</c>, <c>statement</c>, <c>title</c>).
/// See docs/model-format.md.
/// </remarks>
public static class ModelFile
{
    private static readonly string[] ModelKeys = ["id", "title", "edition", "description", "scale", "themes", "indicators"];
    private static readonly string[] ScaleKeys = ["level", "label"];
    private static readonly string[] ThemeKeys = ["id", "title", "short", "weight", "description", "questions"];
    private static readonly string[] QuestionKeys = ["id", "label", "help"];
    private static readonly string[] IndicatorKeys = ["id", "question", "predicate", "statement", "title"];

    /// <summary>Loads a model from a file path, or a shipped model by id when no such file exists.</summary>
    public static ImportResult<MaturityModel> Load(string pathOrId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pathOrId);
        if (File.Exists(pathOrId))
        {
            using var reader = new StreamReader(pathOrId, detectEncodingFromByteOrderMarks: true);
            return Read(reader, pathOrId);
        }
        if (ShippedModels.TryOpen(pathOrId) is { } shipped)
        {
            using (shipped)
            {
                return shipped.Read();
            }
        }
        var known = string.Join(", ", ShippedModels.Ids);
        return ImportResult.Failure<MaturityModel>(
            [new InputProblem(pathOrId, null, null, $"fichier introuvable, et ce n'est pas l'identifiant d'un référentiel fourni ({known})")]);
    }

    /// <summary>
    /// The text of a model file or shipped model, with the name problems use; null when neither exists.
    /// A campaign stores this text, so that its questionnaire never changes afterwards.
    /// </summary>
    public static (string Text, string Source)? ReadText(string pathOrId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pathOrId);
        if (File.Exists(pathOrId))
        {
            return (File.ReadAllText(pathOrId), pathOrId);
        }
        if (ShippedModels.TryOpen(pathOrId) is { } shipped)
        {
            using (shipped)
            {
                return (shipped.Text(), shipped.Source);
            }
        }
        return null;
    }

    /// <summary>Reads a model from text; <paramref name="source"/> names it in problems.</summary>
    public static ImportResult<MaturityModel> Read(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var problems = new ProblemList(source);
        var stream = new YamlStream();
        try
        {
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            problems.Add(e.Start, $"syntaxe YAML invalide : {e.InnerException?.Message ?? e.Message}");
            return problems.ToFailure();
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            problems.Add((YamlNode?)null, "le fichier doit contenir un seul document : une table avec les clés id, themes…");
            return problems.ToFailure();
        }
        var model = new Reader(problems).ReadModel(root);
        return model is not null && problems.Count == 0 ? ImportResult.Success(model) : problems.ToFailure();
    }

    private sealed class ProblemList(string source)
    {
        private readonly List<InputProblem> _problems = [];

        public int Count => _problems.Count;

        public void Add(YamlNode? node, string message) => Add(node?.Start, message);

        public void Add(Mark? mark, string message) =>
            _problems.Add(new InputProblem(source, mark is { } m && m.Line > 0 ? (int)m.Line : null, mark is { } c && c.Line > 0 ? (int)c.Column : null, message));

        public ImportResult<MaturityModel> ToFailure() =>
            ImportResult.Failure<MaturityModel>([.. _problems.OrderBy(p => p.Line ?? 0).ThenBy(p => p.Column ?? 0)]);
    }

    /// <summary>Walks the YAML tree once, collecting problems instead of stopping at the first.</summary>
    private sealed class Reader(ProblemList problems)
    {
        public MaturityModel? ReadModel(YamlMappingNode root)
        {
            CheckKeys(root, ModelKeys, "référentiel");
            var id = RequiredString(root, "id", "référentiel");
            var title = OptionalString(root, "title");
            var scale = ReadScale(root);
            var themes = new List<Theme>();
            var themeIds = new HashSet<string>(StringComparer.Ordinal);
            var questionIds = new HashSet<string>(StringComparer.Ordinal);
            if (Child(root, "themes") is not YamlSequenceNode themeNodes || themeNodes.Children.Count == 0)
            {
                problems.Add(Child(root, "themes") ?? root, "« themes » doit être une liste non vide de thèmes");
            }
            else
            {
                foreach (var node in themeNodes)
                {
                    if (ReadTheme(node, scale ?? Scale.Default, themeIds, questionIds) is { } theme)
                    {
                        themes.Add(theme);
                    }
                }
            }
            var indicators = ReadIndicators(root, questionIds, scale ?? Scale.Default);
            if (problems.Count > 0 || id is null)
            {
                return null;
            }
            return new MaturityModel(id, title, scale, themes, indicators, OptionalString(root, "edition"), OptionalString(root, "description"));
        }

        private Scale? ReadScale(YamlMappingNode root)
        {
            var node = Child(root, "scale");
            if (node is null)
            {
                return null;
            }
            if (node is not YamlSequenceNode levels || levels.Children.Count is < Scale.MinLevels or > Scale.MaxLevels)
            {
                problems.Add(node, $"« scale » doit être une liste de {Scale.MinLevels} à {Scale.MaxLevels} niveaux (level, label)");
                return null;
            }
            var result = new List<ScaleLevel>();
            var before = problems.Count;
            for (var i = 0; i < levels.Children.Count; i++)
            {
                if (levels.Children[i] is not YamlMappingNode level)
                {
                    problems.Add(levels.Children[i], "un niveau de l'échelle s'écrit { level: 0, label: \"…\" }");
                    continue;
                }
                CheckKeys(level, ScaleKeys, $"niveau {i} de l'échelle");
                var value = RequiredInteger(level, "level", $"niveau {i} de l'échelle");
                var label = RequiredString(level, "label", $"niveau {i} de l'échelle");
                if (value is { } v && v != i)
                {
                    problems.Add(Child(level, "level"), $"les niveaux de l'échelle vont de 0 à {levels.Children.Count - 1} dans l'ordre : le niveau en position {i + 1} devrait valoir {i}, pas {v}");
                }
                result.Add(new ScaleLevel(value ?? i, label ?? ""));
            }
            return problems.Count == before ? new Scale(result) : null;
        }

        private Theme? ReadTheme(YamlNode node, Scale scale, HashSet<string> themeIds, HashSet<string> questionIds)
        {
            if (node is not YamlMappingNode theme)
            {
                problems.Add(node, "un thème est une table (id, title, weight, questions)");
                return null;
            }
            var before = problems.Count;
            var id = RequiredString(theme, "id", "thème");
            var what = id is null ? "thème" : $"thème {id}";
            CheckKeys(theme, ThemeKeys, what);
            if (id is not null && !themeIds.Add(id))
            {
                problems.Add(Child(theme, "id"), $"identifiant de thème en double : {id}");
            }
            var title = RequiredString(theme, "title", what);
            var weight = 1.0;
            if (Child(theme, "weight") is { } weightNode)
            {
                if (weightNode is not YamlScalarNode { Value: { } text }
                    || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out weight)
                    || !(weight > 0) || double.IsInfinity(weight))
                {
                    problems.Add(weightNode, $"{what} : le poids (weight) doit être un nombre positif, pas « {Scalar(weightNode)} »");
                }
            }
            var questions = new List<Question>();
            if (Child(theme, "questions") is not YamlSequenceNode questionNodes || questionNodes.Children.Count == 0)
            {
                problems.Add(Child(theme, "questions") ?? theme, $"{what} : « questions » doit être une liste non vide");
            }
            else
            {
                foreach (var questionNode in questionNodes)
                {
                    if (ReadQuestion(questionNode, id, scale, questionIds) is { } question)
                    {
                        questions.Add(question);
                    }
                }
            }
            return problems.Count == before
                ? new Theme(id!, title!, weight, questions, OptionalString(theme, "short"), OptionalString(theme, "description"))
                : null;
        }

        private Question? ReadQuestion(YamlNode node, string? themeId, Scale scale, HashSet<string> questionIds)
        {
            if (node is not YamlMappingNode question)
            {
                problems.Add(node, "une question est une table (id, label, help)");
                return null;
            }
            var before = problems.Count;
            var id = RequiredString(question, "id", "question");
            var what = id is null ? "question" : $"question {id}";
            CheckKeys(question, QuestionKeys, what);
            if (id is not null)
            {
                if (themeId is not null && !Theme.IsQuestionIdOf(themeId, id))
                {
                    problems.Add(Child(question, "id"), $"{what} : l'identifiant doit s'écrire « {themeId}.<nom> » (thème {themeId})");
                }
                if (!questionIds.Add(id))
                {
                    problems.Add(Child(question, "id"), $"identifiant de question en double : {id}");
                }
            }
            var label = RequiredString(question, "label", what);
            var help = ReadHelp(question, what, scale);
            return problems.Count == before ? new Question(id!, label!, help) : null;
        }

        /// <summary>Help is a list of one text per level, or a table level → text; either way it covers every level.</summary>
        private string[] ReadHelp(YamlMappingNode question, string what, Scale scale)
        {
            var node = Child(question, "help");
            if (node is null)
            {
                return [];
            }
            var help = new string?[scale.Count];
            switch (node)
            {
                case YamlSequenceNode list when list.Children.Count == scale.Count:
                    for (var level = 0; level < scale.Count; level++)
                    {
                        help[level] = list.Children[level] is YamlScalarNode { Value: { } text } && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;
                    }
                    break;
                case YamlMappingNode table:
                    foreach (var (key, value) in table.Children)
                    {
                        if (!int.TryParse(Scalar(key), NumberStyles.None, CultureInfo.InvariantCulture, out var level) || level > scale.MaxLevel)
                        {
                            problems.Add(key, $"{what} : « help » décrit les niveaux 0 à {scale.MaxLevel}, pas « {Scalar(key)} »");
                            continue;
                        }
                        help[level] = value is YamlScalarNode { Value: { } text } && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;
                    }
                    break;
                default:
                    problems.Add(node, $"{what} : « help » doit décrire chacun des {scale.Count} niveaux (une liste de {scale.Count} textes, ou une table niveau → texte)");
                    return [];
            }
            var missing = Enumerable.Range(0, scale.Count).Where(level => help[level] is null).ToList();
            if (missing.Count > 0)
            {
                problems.Add(node, $"{what} : « help » ne décrit pas le(s) niveau(x) {string.Join(", ", missing)}");
            }
            return [.. help.Select(text => text ?? "")];
        }

        private List<Indicator> ReadIndicators(YamlMappingNode root, HashSet<string> questionIds, Scale scale)
        {
            var indicators = new List<Indicator>();
            var node = Child(root, "indicators");
            if (node is null || (node is YamlScalarNode { Value: null or "" }))
            {
                return indicators;
            }
            if (node is not YamlSequenceNode list)
            {
                problems.Add(node, "« indicators » doit être une liste d'indicateurs");
                return indicators;
            }
            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in list)
            {
                if (item is not YamlMappingNode indicator)
                {
                    problems.Add(item, "un indicateur est une table (id, question, predicate, statement)");
                    continue;
                }
                var before = problems.Count;
                var id = RequiredString(indicator, "id", "indicateur");
                var what = id is null ? "indicateur" : $"indicateur {id}";
                CheckKeys(indicator, IndicatorKeys, what);
                if (id is not null && !ids.Add(id))
                {
                    problems.Add(Child(indicator, "id"), $"identifiant d'indicateur en double : {id}");
                }
                var question = RequiredString(indicator, "question", what);
                if (question is not null && !questionIds.Contains(question))
                {
                    problems.Add(Child(indicator, "question"), $"{what} : question inconnue « {question} »");
                }
                var predicateText = RequiredString(indicator, "predicate", what);
                var predicate = default(Predicate);
                if (predicateText is not null)
                {
                    if (!Predicate.TryParse(predicateText, out predicate))
                    {
                        problems.Add(Child(indicator, "predicate"), $"{what} : prédicat « {predicateText} » illisible (attendu « >= k », « <= k » ou « = k »)");
                    }
                    else if (predicate.Threshold > scale.MaxLevel)
                    {
                        problems.Add(Child(indicator, "predicate"), $"{what} : le prédicat « {predicateText} » compare à un niveau hors de l'échelle (0 à {scale.MaxLevel})");
                    }
                }
                var statement = OptionalString(indicator, "statement") ?? "";
                if (statement.Length > 0 && !statement.Contains(Indicator.ValuePlaceholder, StringComparison.Ordinal))
                {
                    problems.Add(Child(indicator, "statement"), $"{what} : l'énoncé doit contenir {Indicator.ValuePlaceholder}, remplacé par le pourcentage");
                }
                if (problems.Count == before)
                {
                    indicators.Add(new Indicator(id!, question!, predicate, statement, OptionalString(indicator, "title")));
                }
            }
            return indicators;
        }

        private void CheckKeys(YamlMappingNode node, string[] allowed, string what)
        {
            foreach (var key in node.Children.Keys)
            {
                if (!allowed.Contains(Scalar(key), StringComparer.Ordinal))
                {
                    problems.Add(key, $"{what} : clé inconnue « {Scalar(key)} » (clés permises : {string.Join(", ", allowed)})");
                }
            }
        }

        private string? RequiredString(YamlMappingNode node, string key, string what)
        {
            var child = Child(node, key);
            if (child is YamlScalarNode { Value: { } value } && !string.IsNullOrWhiteSpace(value))
            {
                return value.Trim();
            }
            problems.Add(child ?? node, child is null ? $"{what} : « {key} » manquant" : $"{what} : « {key} » doit être un texte non vide");
            return null;
        }

        private int? RequiredInteger(YamlMappingNode node, string key, string what)
        {
            var text = RequiredString(node, key, what);
            if (text is null)
            {
                return null;
            }
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
            problems.Add(Child(node, key), $"{what} : « {key} » doit être un entier positif ou nul, pas « {text} »");
            return null;
        }

        private static string? OptionalString(YamlMappingNode node, string key) =>
            Child(node, key) is YamlScalarNode { Value: { } value } && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        private static YamlNode? Child(YamlMappingNode node, string key) =>
            node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

        private static string Scalar(YamlNode node) => node is YamlScalarNode { Value: { } value } ? value : node.ToString();
    }
}
