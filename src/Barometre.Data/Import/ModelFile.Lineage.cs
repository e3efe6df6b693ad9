using System.Globalization;
using Barometre.Core.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Barometre.Data.Import;

/// <summary>The <c>follows:</c> block of a model file: the edition it follows and how its ids map onto that one's.</summary>
public static partial class ModelFile
{
    private static readonly string[] FollowsKeys = ["model", "themes", "questions", "indicators", "levels"];

    /// <summary>Reads a model from its text, with where each entry of its <c>follows:</c> block stands (null when it has none).</summary>
    internal static ImportResult<MaturityModel> Read(ModelText text, out LineageLocations? locations)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var reader = new StringReader(text.Text);
        return Read(reader, text.Source, out locations);
    }

    private sealed partial class Reader
    {
        /// <summary>Where the entries of the <c>follows:</c> block stand, once it has been read; null when there is none.</summary>
        public LineageLocations? Locations { get; private set; }

        /// <summary>
        /// The <c>follows:</c> block, checked against this model alone: keys, types, its ids are ids of this model, no
        /// earlier id claimed twice, levels are integers of this scale in an order kept. Whether its earlier ids exist
        /// is for <see cref="ModelLineageCheck"/>, which has the earlier model.
        /// </summary>
        private ModelLineage? ReadFollows(YamlMappingNode root, string? modelId, HashSet<string> themeIds, HashSet<string> questionIds, HashSet<string> indicatorIds, Scale scale)
        {
            var node = Child(root, "follows");
            if (node is null)
            {
                return null;
            }
            if (node is not YamlMappingNode follows)
            {
                problems.Add(node, $"« follows » doit être une table (clés permises : {string.Join(", ", FollowsKeys)})");
                return null;
            }
            var before = problems.Count;
            var locations = new LineageLocations(follows.Start);
            CheckKeys(follows, FollowsKeys, "« follows »");
            var model = RequiredString(follows, "model", "« follows »");
            if (model is not null)
            {
                locations.Add(LineageSection.Model, null, null, Child(follows, "model")!);
                if (model == modelId)
                {
                    problems.Add(Child(follows, "model"), $"« follows » : le référentiel {TextRules.Quote(model)} ne peut pas se suivre lui-même ; « model » désigne l'édition précédente");
                }
            }
            var themes = ReadThemeMap(follows, themeIds, locations);
            var questions = ReadIdMap(follows, LineageSection.Questions, "questions", "la question", questionIds, locations);
            var indicators = ReadIdMap(follows, LineageSection.Indicators, "indicators", "l'indicateur", indicatorIds, locations);
            var levels = ReadLevels(follows, scale, locations);
            Locations = locations;
            return problems.Count == before ? new ModelLineage(model!, themes, questions, indicators, levels) : null;
        }

        /// <summary>Later theme → one earlier theme id (renamed) or a non-empty list of them (merged).</summary>
        private List<KeyValuePair<string, IReadOnlyList<string>>> ReadThemeMap(YamlMappingNode follows, HashSet<string> themeIds, LineageLocations locations)
        {
            var map = new List<KeyValuePair<string, IReadOnlyList<string>>>();
            var entries = MapOf(follows, "themes");
            var claimed = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (keyNode, valueNode) in entries)
            {
                var key = LaterId(keyNode, "themes", "le thème", themeIds, map.Select(pair => pair.Key), locations, LineageSection.Themes);
                var items = valueNode switch
                {
                    YamlScalarNode scalar => [scalar],
                    YamlSequenceNode { Children.Count: > 0 } list => list.Children,
                    _ => (IList<YamlNode>)[],
                };
                if (items.Count == 0)
                {
                    problems.Add(valueNode, $"« follows.themes »{For(key)} : attendu l'identifiant d'un thème de l'édition suivie, ou une liste non vide d'identifiants (thèmes fusionnés)");
                    continue;
                }
                var earlier = new List<string>();
                foreach (var item in items)
                {
                    if (EarlierId(item, "themes", key, "le thème", claimed) is { } id)
                    {
                        earlier.Add(id);
                        if (key is not null)
                        {
                            locations.Add(LineageSection.Themes, key, id, item);
                        }
                    }
                }
                if (key is not null && earlier.Count == items.Count)
                {
                    map.Add(new(key, earlier));
                }
            }
            return map;
        }

        /// <summary>Later id → earlier id, for <c>questions</c> and <c>indicators</c>.</summary>
        private List<KeyValuePair<string, string>> ReadIdMap(
            YamlMappingNode follows, LineageSection section, string name, string measure, HashSet<string> laterIds, LineageLocations locations)
        {
            var map = new List<KeyValuePair<string, string>>();
            var claimed = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (keyNode, valueNode) in MapOf(follows, name))
            {
                var key = LaterId(keyNode, name, measure, laterIds, map.Select(pair => pair.Key), locations, section);
                if (EarlierId(valueNode, name, key, measure, claimed) is { } id && key is not null)
                {
                    map.Add(new(key, id));
                    locations.Add(section, key, id, valueNode);
                }
            }
            return map;
        }

        /// <summary>Earlier level → later level, both integers; the later within this scale, the order of the levels kept.</summary>
        private SortedDictionary<int, int>? ReadLevels(YamlMappingNode follows, Scale scale, LineageLocations locations)
        {
            if (Child(follows, "levels") is null)
            {
                return null;
            }
            var map = new SortedDictionary<int, int>();
            var keys = new Dictionary<int, YamlNode>();
            foreach (var (keyNode, valueNode) in MapOf(follows, "levels"))
            {
                var earlier = Level(keyNode, "le niveau de l'édition suivie");
                var later = Level(valueNode, earlier is null ? "le niveau de ce référentiel" : $"la traduction du niveau {earlier}");
                if (later > scale.MaxLevel)
                {
                    problems.Add(valueNode, $"« follows.levels » : le niveau {later} n'existe pas dans l'échelle de ce référentiel (niveaux 0 à {scale.MaxLevel})");
                    later = null;
                }
                if (earlier is not { } e)
                {
                    continue;
                }
                if (!keys.TryAdd(e, keyNode))
                {
                    problems.Add(keyNode, $"« follows.levels » : le niveau {e} est traduit deux fois");
                    continue;
                }
                locations.Add(LineageSection.Levels, e.ToString(CultureInfo.InvariantCulture), null, keyNode);
                if (later is { } l)
                {
                    map.Add(e, l);
                }
            }
            if (ModelLineage.BreaksOrder(map) is { } broken)
            {
                problems.Add(keys[broken.Higher], $"« follows.levels » : {broken.Lower} → {map[broken.Lower]} puis {broken.Higher} → {map[broken.Higher]} inverse l'ordre des niveaux ; la correspondance doit garder l'ordre de l'échelle");
            }
            return map;
        }

        /// <summary>The entries of a table of the block; none, with a problem, when it is something else.</summary>
        private IEnumerable<KeyValuePair<YamlNode, YamlNode>> MapOf(YamlMappingNode follows, string name)
        {
            switch (Child(follows, name))
            {
                case YamlMappingNode map:
                    return map.Children;
                case null or YamlScalarNode { Value: null or "" }:
                    return [];
                case var other:
                    problems.Add(other, name == "levels"
                        ? "« follows.levels » doit être une table niveau de l'édition suivie : niveau de ce référentiel"
                        : $"« follows.{name} » doit être une table identifiant dans ce référentiel : identifiant dans l'édition suivie");
                    return [];
            }
        }

        /// <summary>A key of a map: an id of this model, given once; null, with a problem, otherwise.</summary>
        private string? LaterId(YamlNode node, string name, string measure, HashSet<string> laterIds, IEnumerable<string> taken, LineageLocations locations, LineageSection section)
        {
            if (node is not YamlScalarNode { Value: { } value } || string.IsNullOrWhiteSpace(value))
            {
                problems.Add(node, $"« follows.{name} » : une clé est l'identifiant d'un élément de ce référentiel, pas « {TextRules.Quote(Scalar(node))} »");
                return null;
            }
            if (Checked(node, value.Trim(), $"« follows.{name} » : une clé", multiline: false, FieldLimits.Name) is not { } id)
            {
                return null;
            }
            if (!laterIds.Contains(id))
            {
                problems.Add(node, $"« follows.{name} » : {measure} « {TextRules.Quote(id)} » n'existe pas dans ce référentiel");
                return null;
            }
            if (taken.Contains(id, StringComparer.Ordinal))
            {
                problems.Add(node, $"« follows.{name} » : {measure} « {TextRules.Quote(id)} » figure deux fois");
                return null;
            }
            locations.Add(section, id, null, node);
            return id;
        }

        /// <summary>An earlier id of an entry, claimed by no other entry; null, with a problem, otherwise.</summary>
        private string? EarlierId(YamlNode node, string name, string? key, string measure, Dictionary<string, string> claimed)
        {
            if (node is not YamlScalarNode { Value: { } value } || string.IsNullOrWhiteSpace(value))
            {
                problems.Add(node, $"« follows.{name} »{For(key)} : attendu un identifiant de l'édition suivie, pas « {TextRules.Quote(Scalar(node))} »");
                return null;
            }
            if (Checked(node, value.Trim(), $"« follows.{name} »{For(key)}", multiline: false, FieldLimits.Name) is not { } id)
            {
                return null;
            }
            if (claimed.TryGetValue(id, out var first))
            {
                problems.Add(node, $"« follows.{name} »{For(key)} : {measure} « {TextRules.Quote(id)} » de l'édition suivie a déjà pour successeur « {TextRules.Quote(first)} » ; chaque élément de l'édition suivie en a un au plus");
                return null;
            }
            claimed.Add(id, key ?? "");
            return id;
        }

        /// <summary>A level written in a map: a non-negative integer; null, with a problem, otherwise.</summary>
        private int? Level(YamlNode node, string what)
        {
            if (node is YamlScalarNode { Value: { } text } && int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var level))
            {
                return level;
            }
            problems.Add(node, $"« follows.levels » : {what} doit être un entier positif ou nul, pas « {TextRules.Quote(Scalar(node))} »");
            return null;
        }

        /// <summary>« , « key » » after a section's name when the entry's key is known.</summary>
        private static string For(string? key) => key is null ? "" : $", « {TextRules.Quote(key)} »";
    }
}

/// <summary>
/// Where the entries of a model file's <c>follows:</c> block stand, so that a problem found against the earlier model
/// (<see cref="LineageProblem"/>) is reported at its line and column.
/// </summary>
internal sealed class LineageLocations(Mark block)
{
    private readonly Dictionary<(LineageSection Section, string? Key, string? Value), (int Line, int Column)> _places = [];

    public void Add(LineageSection section, string? key, string? value, YamlNode node) =>
        _places.TryAdd((section, key, value), ((int)node.Start.Line, (int)node.Start.Column));

    /// <summary>The place of a problem: its earlier id within the entry, else the entry, else the section's first entry, else the block.</summary>
    public (int Line, int Column) Of(LineageProblem problem) =>
        _places.TryGetValue((problem.Section, problem.Key, problem.Value), out var place)
        || _places.TryGetValue((problem.Section, problem.Key, null), out place)
            ? place
            : ((int)block.Line, (int)block.Column);
}
