using System.Globalization;
using Barometre.Core.Model;
using Barometre.Core.Responses;
using Barometre.Core.Statistics;

namespace Barometre.Core.Synthetic;

/// <summary>Settings of a synthetic panel.</summary>
public sealed record SyntheticPanelOptions
{
    /// <summary>Number of collectivités.</summary>
    public int Respondents { get; init; } = 40;

    /// <summary>Seed of every draw.</summary>
    public long Seed { get; init; } = 2019;

    /// <summary>
    /// Offset of each theme's levels on the scale, by theme id (positive = more mature); themes not
    /// listed get a seeded random offset.
    /// </summary>
    public IReadOnlyDictionary<string, double> ThemeOffsets { get; init; } = new Dictionary<string, double>();

    /// <summary>Share of cells left empty, answered NSP, answered NC.</summary>
    public (double Blank, double DontKnow, double NotConcerned) Missing { get; init; } = (0.03, 0.01, 0.01);
}

/// <summary>
/// Generates realistic but fictitious panels: three hidden profiles (strategic, pragmatic, late), a
/// latent maturity per collectivité, theme effects and answer noise. Every name says « fictive » and
/// every code starts with <c>SYN</c>, so synthetic data can never be mistaken for a real answer.
/// </summary>
public static partial class SyntheticPanel
{
    /// <summary>The prefix of every synthetic code.</summary>
    public const string CodePrefix = "SYN";

    private static readonly (string Type, string Article, double Weight)[] Types =
    [
        ("Métropole", "Métropole", 0.35),
        ("Communauté urbaine", "Communauté urbaine", 0.10),
        ("Communauté d'agglomération", "Agglomération", 0.25),
        ("Commune", "Ville", 0.30),
    ];

    private static readonly string[] Regions =
    [
        "Auvergne-Rhône-Alpes", "Bourgogne-Franche-Comté", "Bretagne", "Centre-Val de Loire", "Grand Est",
        "Hauts-de-France", "Île-de-France", "Normandie", "Nouvelle-Aquitaine", "Occitanie", "Pays de la Loire",
        "Provence-Alpes-Côte d'Azur",
    ];

    // Invented place names: none is a real French commune.
    private static readonly string[] Places =
    [
        "Valbrune", "Montclairval", "Saint-Aurèle-sur-Loire", "Brévanne", "Haute-Sorgue", "Lanvigny", "Roche-Aubert",
        "Pontmerle", "Clairfontaine-les-Ormes", "Vaudreuil-sur-Mer", "Estival", "Belcombe", "Mirabel-en-Forez",
        "Sainte-Ondine", "Kerlévan", "Aubrac-le-Haut", "Fonteval", "Marsigny", "Bellerive-des-Landes", "Ormessac",
        "Port-Saint-Lunaire", "Charmeval", "Grandvaux", "Les Isles-Dorées", "Nérac-la-Neuve", "Sorbiac", "Varenne-Haute",
        "Castelmonde", "Plouvenec", "Savigny-le-Vieux", "Trévoux-la-Forêt", "Montaubrac", "Rivemont", "Lorvagne",
        "Saint-Clair-des-Vignes", "Beaulac", "Cormeval", "Val-de-Sèvre", "Hautmont-la-Rivière", "Arcenay",
    ];

    // Profile: share, latent mean level, lift on operational themes, lift on strategy and data themes.
    private static readonly (double Share, double Latent, double Operational, double Strategic)[] Profiles =
    [
        (0.30, 2.9, 0.0, 0.0),
        (0.45, 2.0, 0.5, -0.9),
        (0.25, 1.0, 0.0, 0.0),
    ];

    private static readonly HashSet<string> StrategicThemes = new(["strategie", "donnee"], StringComparer.Ordinal);

    /// <summary>Generates a panel of fictitious collectivités answering <paramref name="model"/>.</summary>
    public static ResponseSet Generate(MaturityModel model, SyntheticPanelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new SyntheticPanelOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Respondents);
        var rng = new SeededRandom(options.Seed);
        var generator = new Generator(model, options.ThemeOffsets, options.Missing, rng);
        var q = model.Questions.Count;
        var respondents = new List<Respondent>(options.Respondents);
        var cells = new sbyte[options.Respondents * q];
        var width = Math.Max(2, options.Respondents.ToString(CultureInfo.InvariantCulture).Length);
        for (var r = 0; r < options.Respondents; r++)
        {
            var (respondent, profile, latent) = generator.NewRespondent(r + 1, width);
            respondents.Add(respondent);
            generator.Answer(latent, (Profiles[profile].Operational, Profiles[profile].Strategic), cells.AsSpan(r * q, q));
        }
        return new ResponseSet(model, respondents, cells);
    }

    /// <summary>
    /// The draws of a synthetic panel on one model: seeded theme and question offsets, then for each collectivité
    /// its profile, latent maturity and description, and its answers.
    /// </summary>
    private sealed class Generator
    {
        private readonly MaturityModel _model;
        private readonly (double Blank, double DontKnow, double NotConcerned) _missing;
        private readonly SeededRandom _rng;
        private readonly double[] _themeOffset;
        private readonly double[] _questionOffset;

        public Generator(MaturityModel model, IReadOnlyDictionary<string, double> themeOffsets, (double Blank, double DontKnow, double NotConcerned) missing, SeededRandom rng)
        {
            _model = model;
            _missing = missing;
            _rng = rng;
            _themeOffset = [.. model.Themes.Select(theme => themeOffsets.TryGetValue(theme.Id, out var offset) ? offset : Normal(rng, 0, 0.5))];
            _questionOffset = [.. Enumerable.Range(0, model.Questions.Count).Select(_ => Normal(rng, 0, 0.35))];
        }

        /// <summary>A fictitious collectivité numbered <paramref name="number"/>, with its hidden profile and latent maturity (0–4).</summary>
        public (Respondent Respondent, int Profile, double Latent) NewRespondent(int number, int width)
        {
            var profile = _rng.NextWeightedIndex(Profiles.Select(p => p.Share).ToArray());
            var latent = Profiles[profile].Latent + Normal(_rng, 0, 0.35);
            var type = _rng.NextWeightedIndex(Types.Select(x => x.Weight).ToArray());
            var place = Places[_rng.NextInt(Places.Length)];
            var digits = number.ToString("D" + width.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            var population = (long)Math.Round(Math.Exp(Normal(_rng, 11.8, 0.6)) * (type == 0 ? 3 : 1));
            var respondent = new Respondent(
                $"{CodePrefix}{digits}",
                $"{Types[type].Article} fictive {Of(place)} n° {digits}",
                Types[type].Type,
                population,
                Regions[_rng.NextInt(Regions.Length)]);
            return (respondent, profile, latent);
        }

        /// <summary>
        /// One collectivité's answers to every question: its latent maturity, the theme's offset and its own theme
        /// effect (lifted by its profile on strategy and data themes or on the others), the question's offset and
        /// noise, on the model's scale; a few cells left empty, NSP or NC.
        /// </summary>
        public void Answer(double latent, (double Operational, double Strategic) lift, Span<sbyte> row)
        {
            var themeEffect = new double[_model.Themes.Count];
            for (var theme = 0; theme < themeEffect.Length; theme++)
            {
                themeEffect[theme] = _themeOffset[theme] + (StrategicThemes.Contains(_model.Themes[theme].Id) ? lift.Strategic : lift.Operational) + Normal(_rng, 0, 0.45);
            }
            var max = _model.Scale.MaxLevel;
            var scaleRatio = max / 4.0;
            for (var j = 0; j < row.Length; j++)
            {
                var level = latent + themeEffect[_model.ThemeOfQuestion[j]] + _questionOffset[j] + Normal(_rng, 0, 0.7);
                var u = _rng.NextDouble();
                row[j] = u < _missing.Blank ? CellCode.Blank
                    : u < _missing.Blank + _missing.DontKnow ? CellCode.DontKnow
                    : u < _missing.Blank + _missing.DontKnow + _missing.NotConcerned ? CellCode.NotConcerned
                    : (sbyte)Math.Clamp(Math.Round(level * scaleRatio), 0, max);
            }
        }
    }

    /// <summary>« de Valbrune », « d'Estival », « des Isles-Dorées ».</summary>
    private static string Of(string place) =>
        place.StartsWith("Les ", StringComparison.Ordinal) ? "des " + place[4..]
        : "AEÉIOUaeéiou".Contains(place[0], StringComparison.Ordinal) ? "d'" + place
        : "de " + place;

    // Box–Muller: two uniforms give one standard normal draw.
    private static double Normal(SeededRandom rng, double mean, double deviation)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return mean + (deviation * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }
}
