using Barometre.Core.Model;
using Barometre.Core.Publication;
using Barometre.Core.Results;

namespace Barometre.Data.Export.OpenData;

/// <summary>
/// The tables of the open-data package: the selections, the model (themes, questions, levels), and for every
/// selection the public figures — distributions, key indicators, theme scores, segments and their profiles — one
/// fact per row. Every figure comes from <see cref="PublicResults"/>, so secrecy is the dashboard's: a figure it
/// hides is an empty cell with <c>secret_statistique</c> = <c>true</c>, never a zero.
/// </summary>
internal static class OpenDataTables
{
    private const string Selection = "selections";

    private static readonly OpenDataField FilterKey = new("filtre", OpenDataType.WholeNumber, "Sélection",
        "Numéro de la sélection de collectivités (selections.csv) ; 1 est l'ensemble du panel.", Required: true);

    private static readonly OpenDataField Secret = new("secret_statistique", OpenDataType.TrueFalse, "Secret statistique",
        "true quand les chiffres de la ligne relèvent du secret statistique : ils sont alors vides, jamais remplacés par zéro.", Required: true);

    private static readonly OpenDataForeignKey ToSelection = new(["filtre"], Selection, ["filtre"]);

    /// <summary>
    /// Builds the tables. <paramref name="views"/> are the published views in the plan's order (whole panel first): each
    /// selection that holds someone, with its figures when the selection is not secret as a whole (null otherwise).
    /// </summary>
    public static List<OpenDataTable> Build(MaturityModel model, IReadOnlyList<(FilterDecision Decision, PublicResults? Figures)> views)
    {
        var selections = new TableWriter(
        [
            FilterKey,
            new("type_collectivite", OpenDataType.Text, "Type de collectivité", "Type de collectivité de la sélection ; vide : tous les types."),
            new("region", OpenDataType.Text, "Région", "Région de la sélection ; vide : toutes les régions."),
            new("tranche_population", OpenDataType.Text, "Tranche de population",
                "Tranche de population de la sélection (moins-20000, 20000-50000, 50000-100000, 100000-250000, 250000-plus) ; vide : toutes les tailles."),
            new("libelle", OpenDataType.Text, "Libellé", "La sélection en clair, comme sur le tableau de bord.", Required: true),
            new("repondants", OpenDataType.WholeNumber, "Collectivités répondantes", "Nombre de collectivités de la sélection ayant répondu ; vide sous secret statistique."),
            Secret,
        ]);
        var themes = new TableWriter(
        [
            new("theme_id", OpenDataType.Text, "Thème", "Identifiant du thème dans le référentiel.", Required: true),
            new("ordre", OpenDataType.WholeNumber, "Ordre", "Rang du thème dans le référentiel, à partir de 1.", Required: true),
            new("titre", OpenDataType.Text, "Titre", "Titre du thème.", Required: true),
            new("poids", OpenDataType.DecimalNumber, "Poids", "Poids du thème dans l'indice global.", Required: true),
        ]);
        var questions = new TableWriter(
        [
            new("question_id", OpenDataType.Text, "Question", "Identifiant de la question dans le référentiel.", Required: true),
            new("theme_id", OpenDataType.Text, "Thème", "Thème de la question (themes.csv).", Required: true),
            new("ordre", OpenDataType.WholeNumber, "Ordre", "Rang de la question dans le référentiel, à partir de 1.", Required: true),
            new("libelle", OpenDataType.Text, "Libellé", "Texte de la question.", Required: true),
        ]);
        var levels = new TableWriter(
        [
            new("niveau", OpenDataType.WholeNumber, "Niveau", "Niveau de maturité, de 0 au plus élevé.", Required: true),
            new("libelle", OpenDataType.Text, "Libellé", "Libellé du niveau sur l'échelle du référentiel.", Required: true),
        ]);
        var distributions = new TableWriter(
        [
            FilterKey,
            new("question_id", OpenDataType.Text, "Question", "Identifiant de la question (questions.csv).", Required: true),
            new("niveau", OpenDataType.WholeNumber, "Niveau", "Niveau de maturité (niveaux.csv).", Required: true),
            new("effectif", OpenDataType.WholeNumber, "Effectif", "Nombre de collectivités de la sélection ayant choisi ce niveau."),
            new("part", OpenDataType.DecimalNumber, "Part", "Part des répondants à la question ayant choisi ce niveau, de 0 à 1 ; vide quand personne n'a répondu."),
            new("part_au_moins", OpenDataType.DecimalNumber, "Part au moins à ce niveau", "Part des répondants à la question à ce niveau ou au-dessus, de 0 à 1."),
            new("repondants_question", OpenDataType.WholeNumber, "Répondants à la question",
                "Collectivités de la sélection ayant donné un niveau à la question (sans « ne sait pas » ni « non concerné »)."),
            Secret,
        ]);
        var indicators = new TableWriter(
        [
            FilterKey,
            new("indicateur_id", OpenDataType.Text, "Indicateur", "Identifiant de l'indicateur clé dans le référentiel.", Required: true),
            new("titre", OpenDataType.Text, "Titre", "Titre de l'indicateur, quand le référentiel en donne un."),
            new("question_id", OpenDataType.Text, "Question", "Question sur laquelle porte l'indicateur (questions.csv).", Required: true),
            new("predicat", OpenDataType.Text, "Condition", "Condition sur le niveau : « >= k », « <= k » ou « = k ».", Required: true),
            new("effectif", OpenDataType.WholeNumber, "Effectif", "Répondants à la question dont le niveau remplit la condition."),
            new("repondants_question", OpenDataType.WholeNumber, "Répondants à la question", "Collectivités ayant donné un niveau à la question."),
            new("part", OpenDataType.DecimalNumber, "Part", "effectif / repondants_question, de 0 à 1."),
            .. Interval("Intervalle de Wilson à 95 % de la part"),
            new("enonce", OpenDataType.Text, "Énoncé", "La phrase du référentiel avec la part arrondie."),
            Secret,
        ]);
        var scores = new TableWriter(
        [
            FilterKey,
            new("theme_id", OpenDataType.Text, "Thème", "Identifiant du thème (themes.csv).", Required: true),
            new("repondants_notes", OpenDataType.WholeNumber, "Collectivités notées",
                "Collectivités ayant un score sur le thème (au moins la moitié de ses questions renseignées)."),
            new("moyenne", OpenDataType.DecimalNumber, "Score moyen", "Moyenne des scores du thème, de 0 à 100."),
            new("mediane", OpenDataType.DecimalNumber, "Médiane", "Médiane des scores du thème."),
            new("q1", OpenDataType.DecimalNumber, "Premier quartile", "Premier quartile des scores (interpolation linéaire)."),
            new("q3", OpenDataType.DecimalNumber, "Troisième quartile", "Troisième quartile des scores (interpolation linéaire)."),
            new("rang", OpenDataType.WholeNumber, "Rang", "Rang du thème par score moyen décroissant, parmi les thèmes publiés de la sélection."),
            .. Interval("Intervalle bootstrap (percentiles) à 95 % du score moyen"),
            Secret,
        ]);
        var segments = new TableWriter(
        [
            FilterKey,
            new("segment", OpenDataType.Text, "Segment", "Libellé du segment (« Stratèges », « Pragmatiques », « Retardataires » pour trois segments).", Required: true),
            new("ordre", OpenDataType.WholeNumber, "Ordre", "Rang du segment par indice moyen décroissant, à partir de 1.", Required: true),
            new("effectif", OpenDataType.WholeNumber, "Effectif", "Nombre de collectivités du segment."),
            new("indice_moyen", OpenDataType.DecimalNumber, "Indice moyen", "Moyenne de l'indice global (0 à 100) des collectivités du segment."),
            Secret,
        ]);
        var profiles = new TableWriter(
        [
            FilterKey,
            new("segment", OpenDataType.Text, "Segment", "Libellé du segment (segments.csv).", Required: true),
            new("theme_id", OpenDataType.Text, "Thème", "Identifiant du thème (themes.csv).", Required: true),
            new("score_moyen", OpenDataType.DecimalNumber, "Score moyen", "Score moyen du segment sur le thème, de 0 à 100 (centre du segment)."),
            Secret,
        ]);

        for (var t = 0; t < model.Themes.Count; t++)
        {
            var theme = model.Themes[t];
            themes.Row(Text(theme.Id), Int(t + 1), Text(theme.Title), Num(theme.Weight));
        }
        for (var q = 0; q < model.Questions.Count; q++)
        {
            var question = model.Questions[q];
            questions.Row(Text(question.Id), Text(model.Themes[model.ThemeOfQuestion[q]].Id), Int(q + 1), Text(question.Label));
        }
        foreach (var level in model.Scale.Levels)
        {
            levels.Row(Int(level.Level), Text(level.Label));
        }

        for (var v = 0; v < views.Count; v++)
        {
            var (decision, figures) = views[v];
            var filter = Int(v + 1);
            selections.Row(
                filter, Text(decision.Filter.Type), Text(decision.Filter.Region), Text(decision.Filter.PopulationBand), Text(decision.Filter.Describe()),
                decision.Suppressed ? TableCell.Empty : Int(decision.Respondents), Bool(decision.Suppressed));
            if (figures is null)
            {
                continue;
            }
            var results = figures.Results;
            foreach (var question in results.Questions)
            {
                var secret = figures.IsSuppressed(FigureId.Question(question.Id));
                for (var level = 0; level < question.Counts.Count; level++)
                {
                    distributions.Row(filter, Text(question.Id), Int(level),
                        secret ? TableCell.Empty : Int(question.Counts[level]),
                        secret ? TableCell.Empty : Num(question.Shares[level]),
                        secret ? TableCell.Empty : Num(question.AtLeast[level]),
                        secret ? TableCell.Empty : Int(question.Answered),
                        Bool(secret));
                }
            }
            foreach (var indicator in results.Indicators)
            {
                var secret = figures.IsSuppressed(FigureId.Question(indicator.Question));
                var title = model.Indicators.FirstOrDefault(i => i.Id == indicator.Id)?.Title;
                indicators.Row(filter, Text(indicator.Id), Text(title), Text(indicator.Question), Text(indicator.Predicate),
                    secret ? TableCell.Empty : Int(indicator.Count),
                    secret ? TableCell.Empty : Int(indicator.Answered),
                    secret ? TableCell.Empty : Num(indicator.Value),
                    secret ? TableCell.Empty : Num(indicator.Ci95.Low),
                    secret ? TableCell.Empty : Num(indicator.Ci95.High),
                    secret ? TableCell.Empty : Text(indicator.Statement),
                    Bool(secret));
            }
            foreach (var theme in results.Themes)
            {
                var secret = figures.IsSuppressed(FigureId.Theme(theme.Id));
                scores.Row(filter, Text(theme.Id),
                    secret ? TableCell.Empty : Int(theme.Scored),
                    secret ? TableCell.Empty : Num(theme.Mean),
                    secret ? TableCell.Empty : Num(theme.Median),
                    secret ? TableCell.Empty : Num(theme.Q1),
                    secret ? TableCell.Empty : Num(theme.Q3),
                    secret ? TableCell.Empty : Int(theme.Rank),
                    secret ? TableCell.Empty : Num(theme.Ci95.Low),
                    secret ? TableCell.Empty : Num(theme.Ci95.High),
                    Bool(secret));
            }
            var groups = results.Segments.Groups;
            for (var g = 0; g < groups.Count; g++)
            {
                var segment = groups[g];
                var secret = figures.IsSuppressed(Disclosure.SegmentPrefix + segment.Label);
                segments.Row(filter, Text(segment.Label), Int(g + 1),
                    secret ? TableCell.Empty : Int(segment.Size),
                    secret ? TableCell.Empty : Num(segment.MeanIndex),
                    Bool(secret));
                foreach (var theme in model.Themes)
                {
                    // A segment's centre on a withheld theme would say what the theme's mean hides (Disclosure).
                    var hidden = secret || figures.IsSuppressed(FigureId.Theme(theme.Id));
                    profiles.Row(filter, Text(segment.Label), Text(theme.Id), hidden ? TableCell.Empty : Num(segment.Centroid.GetValueOrDefault(theme.Id)), Bool(hidden));
                }
            }
        }

        OpenDataForeignKey toQuestion = new(["question_id"], "questions", ["question_id"]);
        OpenDataForeignKey toTheme = new(["theme_id"], "themes", ["theme_id"]);
        return
        [
            selections.Table(Selection, "Sélections de collectivités",
                "Une ligne par sélection que le tableau de bord propose (type de collectivité × région × tranche de population, chacun ou tous) et qui compte au moins une collectivité. "
                + "Une sélection entièrement sous secret statistique n'a que cette ligne.",
                ["filtre"], []),
            themes.Table("themes", "Thèmes du référentiel", "Une ligne par thème du référentiel, dans son ordre.", ["theme_id"], []),
            questions.Table("questions", "Questions du référentiel", "Une ligne par question du référentiel, dans son ordre.", ["question_id"], [toTheme]),
            levels.Table("niveaux", "Niveaux de l'échelle", "Une ligne par niveau de l'échelle de maturité du référentiel.", ["niveau"], []),
            distributions.Table("distributions", "Réponses par question et par niveau",
                "Une ligne par sélection, question et niveau : combien de collectivités ont choisi ce niveau.",
                ["filtre", "question_id", "niveau"], [ToSelection, toQuestion, new(["niveau"], "niveaux", ["niveau"])]),
            indicators.Table("indicateurs", "Indicateurs clés", "Une ligne par sélection et indicateur clé : la part des collectivités qui remplissent la condition, avec son intervalle.",
                ["filtre", "indicateur_id"], [ToSelection, toQuestion]),
            scores.Table("scores_themes", "Scores des thèmes", "Une ligne par sélection et thème : la distribution des scores de thème (0 à 100) des collectivités.",
                ["filtre", "theme_id"], [ToSelection, toTheme]),
            segments.Table("segments", "Segments", "Une ligne par sélection et segment (k-moyennes sur les scores de thème) : sa taille et son indice moyen. Les membres ne sont jamais publiés.",
                ["filtre", "segment"], [ToSelection]),
            profiles.Table("profils_segments", "Profils des segments", "Une ligne par sélection, segment et thème : le score moyen du segment sur le thème.",
                ["filtre", "segment", "theme_id"], [new(["filtre", "segment"], "segments", ["filtre", "segment"]), toTheme]),
        ];
    }

    /// <summary>The two bounds of a 95 % interval, described by what it is an interval of.</summary>
    private static OpenDataField[] Interval(string description) =>
    [
        new("ic95_bas", OpenDataType.DecimalNumber, "Borne basse de l'intervalle à 95 %", description + ", borne basse."),
        new("ic95_haut", OpenDataType.DecimalNumber, "Borne haute de l'intervalle à 95 %", description + ", borne haute."),
    ];

    private static TableCell Int(int? value) => TableCell.Number(value);

    private static TableCell Num(double? value) => TableCell.Number(value);

    private static TableCell Bool(bool value) => TableCell.Text(value ? "true" : "false");

    private static TableCell Text(string? value) => TableCell.Text(value);

    /// <summary>Collects one table's rows, typed cells the shared <see cref="Export.TableWriter"/> writes in any format.</summary>
    private sealed class TableWriter(IReadOnlyList<OpenDataField> fields)
    {
        private readonly List<TableCell[]> _rows = [];

        /// <summary>Adds a row, one cell per field.</summary>
        public void Row(params TableCell[] cells)
        {
            if (cells.Length != fields.Count)
            {
                throw new ArgumentException($"{cells.Length} cells for {fields.Count} fields.", nameof(cells));
            }
            _rows.Add(cells);
        }

        public OpenDataTable Table(string name, string title, string description, IReadOnlyList<string> primaryKey, IReadOnlyList<OpenDataForeignKey> foreignKeys) =>
            new(name, title, description, fields, primaryKey, foreignKeys, _rows);
    }
}
