using System.Globalization;
using Barometre.Core.Responses;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Barometre.Data.Import.Surveys;

/// <summary>
/// The operator's statement of which level each answer code of a survey stands for (<c>--levels map.yaml</c>), for the
/// answers that are not coded 0 … n − 1 already: a scale of labels, a table code → level for every question, and
/// tables for single questions. A level is an integer from 0, or <c>NSP</c> / <c>NC</c>. See docs/model-format.md.
/// </summary>
public sealed class LevelMap
{
    private static readonly string[] Keys = ["scale", "codes", "questions"];

    private LevelMap(IReadOnlyList<string>? scale, IReadOnlyDictionary<string, sbyte> codes, IReadOnlyDictionary<string, QuestionLevels> questions)
    {
        Scale = scale;
        Codes = codes;
        Questions = questions;
    }

    /// <summary>No map: only answers coded 0 … n − 1 become levels.</summary>
    public static LevelMap None { get; } = new(null, new Dictionary<string, sbyte>(), new Dictionary<string, QuestionLevels>());

    /// <summary>The labels of the scale, level 0 first, or null to take them from the answers.</summary>
    public IReadOnlyList<string>? Scale { get; }

    /// <summary>Answer code → cell (a level, or <see cref="CellCode.DontKnow"/> / <see cref="CellCode.NotConcerned"/>), for every question.</summary>
    internal IReadOnlyDictionary<string, sbyte> Codes { get; }

    /// <summary>Question code → its own table, which replaces <see cref="Codes"/> for it.</summary>
    internal IReadOnlyDictionary<string, QuestionLevels> Questions { get; }

    /// <summary>A question's own table, and where it is written.</summary>
    internal sealed record QuestionLevels(IReadOnlyDictionary<string, sbyte> Codes, Place Place);

    /// <summary>Reads a map file (UTF-8 YAML).</summary>
    public static ImportResult<LevelMap> Load(string path) => SurveyFile.Load(path, stream =>
    {
        // Read as a model file is: UTF-8 (or UTF-16/32 with their mark), at most ModelFile.MaxBytes.
        var text = ModelFile.ReadText(stream, path);
        return text.Value is { } value ? Read(value.Text, path) : ImportResult.Failure<LevelMap>(text.Problems, text.ProblemCount);
    });

    /// <summary>Reads a map from its text; <paramref name="source"/> names it in problems.</summary>
    public static ImportResult<LevelMap> Read(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var problems = new List<InputProblem>();
        void Add(YamlNode node, string message) => problems.Add(At(source, node).Problem(message));
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            return ImportResult.Failure<LevelMap>([new InputProblem(source, (int)e.Start.Line, (int)e.Start.Column, $"syntaxe YAML invalide : {TextRules.Quote(e.InnerException?.Message ?? e.Message)}")]);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet meets some malformed texts (a bracket left open) with these instead of a YamlException.
            return ImportResult.Failure<LevelMap>([new InputProblem(source, null, null, "syntaxe YAML invalide : crochets, accolades ou guillemets mal fermés ?")]);
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return ImportResult.Failure<LevelMap>([new InputProblem(source, null, null, "le fichier doit contenir une table avec les clés scale, codes et questions")]);
        }
        foreach (var key in root.Children.Keys)
        {
            if (!Keys.Contains(ModelFile.Scalar(key), StringComparer.Ordinal))
            {
                Add(key, $"clé inconnue « {TextRules.Quote(ModelFile.Scalar(key))} » (clés permises : {string.Join(", ", Keys)})");
            }
        }
        List<string>? scale = null;
        if (ModelFile.Child(root, "scale") is { } scaleNode)
        {
            if (scaleNode is not YamlSequenceNode labels || labels.Children.Count is < Core.Model.Scale.MinLevels or > Core.Model.Scale.MaxLevels)
            {
                Add(scaleNode, $"« scale » est la liste des libellés des niveaux, du niveau 0 au dernier : de {Core.Model.Scale.MinLevels} à {Core.Model.Scale.MaxLevels} textes");
            }
            else
            {
                scale = [];
                foreach (var label in labels)
                {
                    if (label is YamlScalarNode { Value: { } value } && !string.IsNullOrWhiteSpace(value))
                    {
                        scale.Add(value.Trim());
                    }
                    else
                    {
                        Add(label, "un niveau de « scale » est un libellé non vide");
                    }
                }
            }
        }
        var maxLevel = (scale?.Count ?? Core.Model.Scale.MaxLevels) - 1;
        var codes = ReadCodes(ModelFile.Child(root, "codes"), "codes", source, maxLevel, problems) ?? new Dictionary<string, sbyte>();
        var questions = new Dictionary<string, QuestionLevels>(StringComparer.Ordinal);
        switch (ModelFile.Child(root, "questions"))
        {
            case null or YamlScalarNode { Value: null or "" }:
                break;
            case YamlMappingNode table:
                foreach (var (key, value) in table.Children)
                {
                    var code = ModelFile.Scalar(key).Trim();
                    if (ReadCodes(value, $"questions → {code}", source, maxLevel, problems) is { } levels)
                    {
                        questions[code] = new QuestionLevels(levels, At(source, key));
                    }
                }
                break;
            case var other:
                Add(other, "« questions » est une table : code de question → table code de réponse → niveau");
                break;
        }
        return problems.Count == 0
            ? ImportResult.Success(new LevelMap(scale, codes, questions))
            : ImportResult.Failure<LevelMap>([.. problems.OrderBy(p => p.Line ?? 0).ThenBy(p => p.Column ?? 0)]);
    }

    /// <summary>A table answer code → level, NSP or NC; null with problems when it is not one.</summary>
    private static Dictionary<string, sbyte>? ReadCodes(YamlNode? node, string what, string source, int maxLevel, List<InputProblem> problems)
    {
        if (node is null || node is YamlScalarNode { Value: null or "" })
        {
            return null;
        }
        if (node is not YamlMappingNode table)
        {
            problems.Add(At(source, node).Problem($"« {TextRules.Quote(what)} » est une table : code de réponse → niveau (0 à {maxLevel.ToString(CultureInfo.InvariantCulture)}), NSP ou NC"));
            return null;
        }
        var codes = new Dictionary<string, sbyte>(StringComparer.Ordinal);
        foreach (var (key, value) in table.Children)
        {
            var code = ModelFile.Scalar(key).Trim();
            var text = ModelFile.Scalar(value).Trim();
            sbyte cell;
            if (string.Equals(text, "NSP", StringComparison.OrdinalIgnoreCase))
            {
                cell = CellCode.DontKnow;
            }
            else if (string.Equals(text, "NC", StringComparison.OrdinalIgnoreCase))
            {
                cell = CellCode.NotConcerned;
            }
            else if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var level) && level <= maxLevel)
            {
                cell = (sbyte)level;
            }
            else
            {
                problems.Add(At(source, value).Problem(
                    $"« {TextRules.Quote(what)} » : le code « {TextRules.Quote(code)} » vaut « {TextRules.Quote(text)} » ; attendu un niveau de 0 à {maxLevel.ToString(CultureInfo.InvariantCulture)}, NSP ou NC"));
                continue;
            }
            if (!codes.TryAdd(code, cell))
            {
                problems.Add(At(source, key).Problem($"« {TextRules.Quote(what)} » : code « {TextRules.Quote(code)} » en double"));
            }
        }
        return codes;
    }

    private static Place At(string source, YamlNode node) => new(source, node.Start.Line > 0 ? (int)node.Start.Line : null, node.Start.Line > 0 ? (int)node.Start.Column : null);
}
