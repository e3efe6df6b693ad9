using System.Globalization;
using System.Text;
using Barometre.Core;
using Barometre.Core.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Barometre.Data.Import;

/// <summary>The text of a model file, as a campaign stores it, with the name problems give it.</summary>
/// <param name="Text">The text, decoded.</param>
/// <param name="Source">The file name (or shipped model, or upload name).</param>
public sealed record ModelText(string Text, string Source);

/// <summary>
/// Loads maturity model files (YAML, which includes JSON) into a validated <see cref="MaturityModel"/>,
/// reporting every problem at once with its file, line and id.
/// </summary>
/// <remarks>
/// Keys: <c>id</c>, <c>title</c>, <c>edition</c>, <c>description</c>, <c>scale</c> (list of
/// <c>level</c>/<c>label</c>; the 2019 scale when absent), <c>themes</c> (<c>id</c>, <c>title</c>,
/// <c>short</c>, <c>weight</c>, <c>description</c>, <c>questions</c> with <c>id</c>, <c>label</c>, <c>help</c>) and
/// <c>indicators</c> (<c>id</c>, <c>question</c>, <c>predicate</c>, <c>statement</c>, <c>title</c>), and
/// <c>follows</c> (the edition the model follows: <c>model</c>, <c>themes</c>, <c>questions</c>, <c>indicators</c>,
/// <c>levels</c>; checked against the earlier model by <see cref="ModelLineageCheck"/>).
/// A file is refused before it is built when it breaks the limits that keep reading it bounded in time and
/// memory: <see cref="MaxBytes"/>, <see cref="MaxDepth"/>, <see cref="MaxNodes"/> (aliases expanded). The CLI and
/// the web read files through <see cref="ReadText(string)"/> or <see cref="ReadText(Stream, string)"/>, which
/// refuse what is not UTF-8 text. See docs/model-format.md.
/// </remarks>
public static partial class ModelFile
{
    /// <summary>
    /// The largest model, in bytes of its file or characters of its text (4 Mio). The 2019 model holds 37
    /// questions in 35 Ko, about 950 bytes each: 4 Mio is 4,000 such questions, ten times a national barometer.
    /// </summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    /// <summary>How deep lists and tables may nest; a model nests 7 deep (help texts of a question of a theme).</summary>
    public const int MaxDepth = 32;

    /// <summary>
    /// The most nodes (texts, lists, tables) a model may have once each alias (<c>*name</c>) is replaced by what its
    /// anchor (<c>&amp;name</c>) holds. The 2019 model has 962, 26 per question: 100,000 is 3,800 such questions.
    /// </summary>
    public const int MaxNodes = 100_000;

    private static readonly string[] ModelKeys = ["id", "title", "edition", "description", "scale", "themes", "indicators", "follows"];
    private static readonly string[] ScaleKeys = ["level", "label"];
    private static readonly string[] ThemeKeys = ["id", "title", "short", "weight", "description", "questions"];
    private static readonly string[] QuestionKeys = ["id", "label", "help"];
    private static readonly string[] IndicatorKeys = ["id", "question", "predicate", "statement", "title"];

    /// <summary>Loads a model from a file path, or a shipped model by id when no such file exists.</summary>
    public static ImportResult<MaturityModel> Load(string pathOrId)
    {
        var text = ReadText(pathOrId);
        return text.Value is { } model ? Read(model) : ImportResult.Failure<MaturityModel>(text.Problems, text.ProblemCount);
    }

    /// <summary>
    /// The text of a model file or shipped model, with the name problems use; problems when neither exists, or the
    /// file is too large or not UTF-8. A campaign stores this text, so that its questionnaire never changes afterwards.
    /// </summary>
    public static ImportResult<ModelText> ReadText(string pathOrId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pathOrId);
        if (File.Exists(pathOrId))
        {
            try
            {
                // A size known in advance is refused without reading; other files are read up to the limit only.
                if (new FileInfo(pathOrId).Length > MaxBytes)
                {
                    return ImportResult.Failure<ModelText>([TooLarge(pathOrId)]);
                }
                using var stream = File.OpenRead(pathOrId);
                return ReadText(stream, pathOrId);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return ImportResult.Failure<ModelText>([new InputProblem(pathOrId, null, null, $"lecture impossible : {e.Message}")]);
            }
        }
        if (ShippedModels.TryOpen(pathOrId) is { } shipped)
        {
            using (shipped)
            {
                return ImportResult.Success(new ModelText(shipped.Text(), shipped.Source));
            }
        }
        var known = string.Join(", ", ShippedModels.Ids);
        return ImportResult.Failure<ModelText>(
            [new InputProblem(pathOrId, null, null, $"fichier introuvable, et ce n'est pas l'identifiant d'un référentiel fourni ({known})")]);
    }

    /// <summary>
    /// The text of a model read from <paramref name="stream"/> (an upload): UTF-8 with or without BOM, or UTF-16/UTF-32
    /// with their BOM; at most <see cref="MaxBytes"/> bytes are read. Bytes that are not UTF-8 are refused with the
    /// line and column of the first one, never turned into « � ».
    /// </summary>
    public static ImportResult<ModelText> ReadText(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var bytes = new MemoryStream();
        var buffer = new byte[81_920];
        int read;
        while ((read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, MaxBytes + 1 - bytes.Length))) > 0)
        {
            bytes.Write(buffer, 0, read);
            if (bytes.Length > MaxBytes)
            {
                return ImportResult.Failure<ModelText>([TooLarge(source)]);
            }
        }
        bytes.Position = 0;
        using var reader = new StreamReader(bytes, new UTF8Encoding(false, throwOnInvalidBytes: false), detectEncodingFromByteOrderMarks: true);
        var text = reader.ReadToEnd();
        // Bytes that are not UTF-8 decode to U+FFFD; UTF-16 without its BOM decodes to a NUL after every letter.
        var invalid = text.AsSpan().IndexOfAny('\uFFFD', '\0');
        if (invalid >= 0)
        {
            var (line, column) = Position(text, invalid);
            return ImportResult.Failure<ModelText>(
                [new InputProblem(source, line, column, text[invalid] == '\0' ? NulMessage : "le fichier n'est pas encodé en UTF-8 : enregistrez-le en UTF-8 et déposez-le à nouveau")]);
        }
        return ImportResult.Success(new ModelText(text, source));
    }

    /// <summary>Reads a model from its text (<see cref="ReadText(string)"/>).</summary>
    public static ImportResult<MaturityModel> Read(ModelText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var reader = new StringReader(text.Text);
        return Read(reader, text.Source);
    }

    /// <summary>Reads a model from text; <paramref name="source"/> names it in problems.</summary>
    public static ImportResult<MaturityModel> Read(TextReader reader, string source) => Read(reader, source, out _);

    /// <summary>Reads a model, with where each entry of its <c>follows:</c> block stands (null when it has none or could not be read).</summary>
    private static ImportResult<MaturityModel> Read(TextReader reader, string source, out LineageLocations? locations)
    {
        ArgumentNullException.ThrowIfNull(reader);
        locations = null;
        var problems = new ProblemList(source);
        var text = ReadAtMost(reader, MaxBytes + 1);
        if (text.Length > MaxBytes)
        {
            problems.Add((Mark?)null, $"le référentiel dépasse {FrenchFormat.Count(MaxBytes)} caractères : un référentiel en compte quelques dizaines de milliers");
            return problems.ToFailure();
        }
        if (TextRules.IndexOfForbidden(text, multiline: true) is var forbidden and >= 0)
        {
            var (line, column) = Position(text, forbidden);
            problems.Add(new Mark(forbidden, line, column), text[forbidden] == '\0'
                ? NulMessage
                : $"caractère de contrôle {TextRules.Quote(text[forbidden].ToString())} : un référentiel n'en contient pas, hors tabulations et retours à la ligne");
            return problems.ToFailure();
        }
        var stream = new YamlStream();
        var parser = new BoundedParser(new Parser(new StringReader(text)));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            problems.Add(e.Start, e is LimitException ? e.Message : $"syntaxe YAML invalide : {TextRules.Quote(e.InnerException?.Message ?? e.Message)}");
            return problems.ToFailure();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet meets some malformed texts (« : [ » then a line) with these instead of a YamlException.
            problems.Add(parser.LastEnd, "syntaxe YAML invalide : ce qui suit cet endroit ne se lit pas (crochets, accolades ou guillemets mal fermés ?)");
            return problems.ToFailure();
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            problems.Add((YamlNode?)null, "le fichier doit contenir un seul document : une table avec les clés id, themes…");
            return problems.ToFailure();
        }
        var modelReader = new Reader(problems);
        var model = modelReader.ReadModel(root);
        locations = modelReader.Locations;
        return model is not null && problems.Count == 0 ? ImportResult.Success(model) : problems.ToFailure();
    }

    /// <summary>At most <paramref name="limit"/> characters of the reader.</summary>
    private static string ReadAtMost(TextReader reader, int limit)
    {
        var text = new StringBuilder();
        var buffer = new char[16_384];
        int read;
        while (text.Length < limit && (read = reader.Read(buffer, 0, Math.Min(buffer.Length, limit - text.Length))) > 0)
        {
            text.Append(buffer, 0, read);
        }
        return text.ToString();
    }

    /// <summary>The 1-based line and column of a character of a text.</summary>
    private static (int Line, int Column) Position(string text, int index)
    {
        var lineStart = index == 0 ? 0 : text.LastIndexOf('\n', index - 1) + 1;
        return (1 + text.AsSpan(0, index).Count('\n'), index - lineStart + 1);
    }

    private const string NulMessage = "caractère nul (U+0000) : le fichier n'est pas du texte UTF-8 (UTF-16 sans BOM ?) ; enregistrez-le en UTF-8";

    private static InputProblem TooLarge(string source) =>
        new(source, null, null, $"le fichier dépasse {FrenchFormat.Count(MaxBytes / (1024 * 1024))}{FrenchFormat.NarrowNoBreakSpace}Mio : un référentiel en fait quelques dizaines de Ko (celui de 2019 : 35 Ko pour 37 questions)");

    /// <summary>A limit of <see cref="ModelFile"/> broken, at a place of the file; its message is ready for the user.</summary>
    private sealed class LimitException(Mark start, string message) : YamlException(start, start, message);

    /// <summary>
    /// The parser's events, checked one by one as <see cref="YamlStream"/> consumes them and before it builds
    /// anything from them: depth, and nodes counted with every alias expanded, so that neither a deep file
    /// (whose loading recurses once per level) nor an alias bomb (a few lines that expand to billions of nodes)
    /// gets further than the limits. The check keeps its own stack, without recursion.
    /// </summary>
    private sealed class BoundedParser(IParser parser) : IParser
    {
        private readonly Stack<(long Start, Anchor? Anchor)> _open = new();
        private readonly Dictionary<string, Anchor> _anchors = new(StringComparer.Ordinal);
        private long _nodes;

        public ParsingEvent? Current => parser.Current;

        /// <summary>Where the last event read ends: where a parser that fails without a location stopped understanding.</summary>
        public Mark? LastEnd { get; private set; }

        public bool MoveNext()
        {
            if (!parser.MoveNext())
            {
                return false;
            }
            LastEnd = parser.Current?.End;
            switch (parser.Current)
            {
                case Scalar scalar:
                    Count(scalar, 1);
                    if (!scalar.Anchor.IsEmpty)
                    {
                        _anchors[scalar.Anchor.Value] = new Anchor { Size = 1 };
                    }
                    break;
                case NodeEvent { } start and (SequenceStart or MappingStart):
                    if (_open.Count == MaxDepth)
                    {
                        throw new LimitException(start.Start, $"listes et tables imbriquées sur plus de {MaxDepth} niveaux : un référentiel en a 7");
                    }
                    Count(start, 1);
                    Anchor? anchor = null;
                    if (!start.Anchor.IsEmpty)
                    {
                        // YamlStream resolves an alias to the last node that took the name, even while it is still open.
                        anchor = new Anchor { Open = true };
                        _anchors[start.Anchor.Value] = anchor;
                    }
                    _open.Push((_nodes - 1, anchor));
                    break;
                case SequenceEnd or MappingEnd:
                    var (first, closed) = _open.Pop();
                    if (closed is not null)
                    {
                        closed.Size = _nodes - first;
                        closed.Open = false;
                    }
                    break;
                case AnchorAlias alias:
                    var name = alias.Value.Value;
                    if (!_anchors.TryGetValue(name, out var target))
                    {
                        throw new LimitException(alias.Start, $"alias « *{TextRules.Quote(name)} » sans ancre « &{TextRules.Quote(name)} » avant lui");
                    }
                    if (target.Open)
                    {
                        throw new LimitException(alias.Start, $"alias « *{TextRules.Quote(name)} » à l'intérieur de son ancre : un référentiel n'est pas une structure récursive");
                    }
                    Count(alias, target.Size);
                    break;
            }
            return true;
        }

        private void Count(ParsingEvent at, long nodes)
        {
            _nodes += nodes;
            if (_nodes > MaxNodes)
            {
                throw new LimitException(at.Start, at is AnchorAlias
                    ? $"plus de {FrenchFormat.Count(MaxNodes)} éléments une fois les alias (*nom) remplacés par ce que désignent leurs ancres : un référentiel en a quelques milliers"
                    : $"plus de {FrenchFormat.Count(MaxNodes)} éléments (textes, listes, tables) : un référentiel en a quelques milliers");
            }
        }

        /// <summary>A node that took an anchor's name: its size once closed (aliases within it expanded).</summary>
        private sealed class Anchor
        {
            public long Size { get; set; }

            public bool Open { get; set; }
        }
    }

    /// <summary>The problems found, the first <see cref="ImportResult{T}.MaxReported"/> kept and all counted.</summary>
    private sealed class ProblemList(string source)
    {
        private readonly List<InputProblem> _problems = [];

        public int Count { get; private set; }

        public void Add(YamlNode? node, string message) => Add(node?.Start, message);

        public void Add(Mark? mark, string message)
        {
            Count++;
            if (_problems.Count < ImportResult<MaturityModel>.MaxReported)
            {
                _problems.Add(new InputProblem(source, mark is { } m && m.Line > 0 ? (int)m.Line : null, mark is { } c && c.Line > 0 ? (int)c.Column : null, message));
            }
        }

        public ImportResult<MaturityModel> ToFailure() =>
            ImportResult.Failure<MaturityModel>([.. _problems.OrderBy(p => p.Line ?? 0).ThenBy(p => p.Column ?? 0)], Count);
    }

    /// <summary>Walks the YAML tree once, collecting problems instead of stopping at the first.</summary>
    private sealed partial class Reader(ProblemList problems)
    {
        public MaturityModel? ReadModel(YamlMappingNode root)
        {
            CheckKeys(root, ModelKeys, "référentiel");
            var id = RequiredString(root, "id", "référentiel");
            var title = OptionalString(root, "title", "référentiel");
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
            var indicatorIds = new HashSet<string>(StringComparer.Ordinal);
            var indicators = ReadIndicators(root, questionIds, indicatorIds, scale ?? Scale.Default);
            var edition = OptionalString(root, "edition", "référentiel");
            var description = OptionalString(root, "description", "référentiel");
            var follows = ReadFollows(root, id, themeIds, questionIds, indicatorIds, scale ?? Scale.Default);
            if (problems.Count > 0 || id is null)
            {
                return null;
            }
            return new MaturityModel(id, title, scale, themes, indicators, edition, description, follows);
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
            var what = id is null ? "thème" : $"thème {TextRules.Quote(id)}";
            CheckKeys(theme, ThemeKeys, what);
            if (id is not null && !themeIds.Add(id))
            {
                problems.Add(Child(theme, "id"), $"identifiant de thème en double : {TextRules.Quote(id)}");
            }
            var title = RequiredString(theme, "title", what);
            var weight = 1.0;
            if (Child(theme, "weight") is { } weightNode)
            {
                if (weightNode is not YamlScalarNode { Value: { } text }
                    || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out weight)
                    || !(weight > 0) || double.IsInfinity(weight))
                {
                    problems.Add(weightNode, $"{what} : le poids (weight) doit être un nombre positif, pas « {TextRules.Quote(Scalar(weightNode))} »");
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
            var shortTitle = OptionalString(theme, "short", what);
            var description = OptionalString(theme, "description", what);
            return problems.Count == before
                ? new Theme(id!, title!, weight, questions, shortTitle, description)
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
            var what = id is null ? "question" : $"question {TextRules.Quote(id)}";
            CheckKeys(question, QuestionKeys, what);
            if (id is not null)
            {
                if (themeId is not null && !Theme.IsQuestionIdOf(themeId, id))
                {
                    problems.Add(Child(question, "id"), $"{what} : l'identifiant doit s'écrire « {TextRules.Quote(themeId)}.<nom> » (thème {TextRules.Quote(themeId)})");
                }
                if (!questionIds.Add(id))
                {
                    problems.Add(Child(question, "id"), $"identifiant de question en double : {TextRules.Quote(id)}");
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
                        help[level] = HelpText(list.Children[level], what, level);
                    }
                    break;
                case YamlMappingNode table:
                    foreach (var (key, value) in table.Children)
                    {
                        if (!int.TryParse(Scalar(key), NumberStyles.None, CultureInfo.InvariantCulture, out var level) || level > scale.MaxLevel)
                        {
                            problems.Add(key, $"{what} : « help » décrit les niveaux 0 à {scale.MaxLevel}, pas « {TextRules.Quote(Scalar(key))} »");
                            continue;
                        }
                        help[level] = HelpText(value, what, level);
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

        /// <summary>The help text of a level, trimmed; null when absent, blank, or invalid (with a problem).</summary>
        private string? HelpText(YamlNode node, string what, int level) =>
            node is YamlScalarNode { Value: { } text } && !string.IsNullOrWhiteSpace(text)
                ? Checked(node, text.Trim(), $"{what} : l'aide du niveau {level}", multiline: true, int.MaxValue)
                : null;

        private List<Indicator> ReadIndicators(YamlMappingNode root, HashSet<string> questionIds, HashSet<string> ids, Scale scale)
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
            foreach (var item in list)
            {
                if (item is not YamlMappingNode indicator)
                {
                    problems.Add(item, "un indicateur est une table (id, question, predicate, statement)");
                    continue;
                }
                var before = problems.Count;
                var id = RequiredString(indicator, "id", "indicateur");
                var what = id is null ? "indicateur" : $"indicateur {TextRules.Quote(id)}";
                CheckKeys(indicator, IndicatorKeys, what);
                if (id is not null && !ids.Add(id))
                {
                    problems.Add(Child(indicator, "id"), $"identifiant d'indicateur en double : {TextRules.Quote(id)}");
                }
                var question = RequiredString(indicator, "question", what);
                if (question is not null && !questionIds.Contains(question))
                {
                    problems.Add(Child(indicator, "question"), $"{what} : question inconnue « {TextRules.Quote(question)} »");
                }
                var predicateText = RequiredString(indicator, "predicate", what);
                var predicate = default(Predicate);
                if (predicateText is not null)
                {
                    if (!Predicate.TryParse(predicateText, out predicate))
                    {
                        problems.Add(Child(indicator, "predicate"), $"{what} : prédicat « {TextRules.Quote(predicateText)} » illisible (attendu « >= k », « <= k » ou « = k »)");
                    }
                    else if (predicate.Threshold > scale.MaxLevel)
                    {
                        problems.Add(Child(indicator, "predicate"), $"{what} : le prédicat « {TextRules.Quote(predicateText)} » compare à un niveau hors de l'échelle (0 à {scale.MaxLevel})");
                    }
                }
                var statement = OptionalString(indicator, "statement", what) ?? "";
                if (statement.Length > 0 && !statement.Contains(Indicator.ValuePlaceholder, StringComparison.Ordinal))
                {
                    problems.Add(Child(indicator, "statement"), $"{what} : l'énoncé doit contenir {Indicator.ValuePlaceholder}, remplacé par le pourcentage");
                }
                var title = OptionalString(indicator, "title", what);
                if (problems.Count == before)
                {
                    indicators.Add(new Indicator(id!, question!, predicate, statement, title));
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
                    problems.Add(key, $"{what} : clé inconnue « {TextRules.Quote(Scalar(key))} » (clés permises : {string.Join(", ", allowed)})");
                }
            }
        }

        private string? RequiredString(YamlMappingNode node, string key, string what)
        {
            var child = Child(node, key);
            if (child is YamlScalarNode { Value: { } value } && !string.IsNullOrWhiteSpace(value))
            {
                return key == "id"
                    ? Checked(child, value.Trim(), $"{what} : « {key} »", multiline: false, FieldLimits.Name)
                    : Checked(child, value.Trim(), $"{what} : « {key} »", multiline: true, int.MaxValue);
            }
            problems.Add(child ?? node, child is null ? $"{what} : « {key} » manquant" : $"{what} : « {key} » doit être un texte non vide");
            return null;
        }

        private string? OptionalString(YamlMappingNode node, string key, string what)
        {
            switch (Child(node, key))
            {
                case YamlScalarNode { Value: { } value } child when !string.IsNullOrWhiteSpace(value):
                    return Checked(child, value.Trim(), $"{what} : « {key} »", multiline: true, int.MaxValue);
                case YamlScalarNode or null:
                    return null;
                case var child:
                    problems.Add(child, $"{what} : « {key} » doit être un texte");
                    return null;
            }
        }

        /// <summary>
        /// The text when it may be stored and shown (<see cref="TextRules"/>: no control character but tab and line
        /// breaks, and those only when <paramref name="multiline"/>; at most <paramref name="maxLength"/> characters);
        /// null with a problem otherwise. Ids become response-file columns and database keys: they hold one line of
        /// at most <see cref="FieldLimits.Name"/>. Other texts may run over several lines, as YAML's blocks write them.
        /// </summary>
        private string? Checked(YamlNode node, string text, string what, bool multiline, int maxLength)
        {
            if (TextRules.Problem(text, what, maxLength, multiline) is { } problem)
            {
                problems.Add(node, problem);
                return null;
            }
            return text;
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
            problems.Add(Child(node, key), $"{what} : « {key} » doit être un entier positif ou nul, pas « {TextRules.Quote(text)} »");
            return null;
        }

    }

    /// <summary>The value of a key of a table, or null.</summary>
    internal static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    /// <summary>A scalar's text; a list or a table is named, not written out (it may be large).</summary>
    internal static string Scalar(YamlNode node) => node switch
    {
        YamlScalarNode { Value: { } value } => value,
        YamlSequenceNode => "[liste]",
        YamlMappingNode => "{table}",
        _ => "",
    };
}
