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
public static class SyntheticPanel
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
        var t = model.Themes.Count;
        var q = model.Questions.Count;
        var max = model.Scale.MaxLevel;
        var scaleRatio = max / 4.0;

        var themeOffset = model.Themes
            .Select(theme => options.ThemeOffsets.TryGetValue(theme.Id, out var offset) ? offset : Normal(rng, 0, 0.5))
            .ToArray();
        var questionOffset = Enumerable.Range(0, q).Select(_ => Normal(rng, 0, 0.35)).ToArray();

        var respondents = new List<Respondent>(options.Respondents);
        var cells = new sbyte[options.Respondents * q];
        var width = Math.Max(2, options.Respondents.ToString(CultureInfo.InvariantCulture).Length);
        for (var r = 0; r < options.Respondents; r++)
        {
            var profile = rng.NextWeightedIndex(Profiles.Select(p => p.Share).ToArray());
            var latent = Profiles[profile].Latent + Normal(rng, 0, 0.35);
            var type = rng.NextWeightedIndex(Types.Select(x => x.Weight).ToArray());
            var place = Places[rng.NextInt(Places.Length)];
            var number = (r + 1).ToString("D" + width.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            var population = (long)Math.Round(Math.Exp(Normal(rng, 11.8, 0.6)) * (type == 0 ? 3 : 1));
            respondents.Add(new Respondent(
                $"{CodePrefix}{number}",
                $"{Types[type].Article} fictive {Of(place)} n° {number}",
                Types[type].Type,
                population,
                Regions[rng.NextInt(Regions.Length)]));

            var themeEffect = new double[t];
            for (var theme = 0; theme < t; theme++)
            {
                var lift = StrategicThemes.Contains(model.Themes[theme].Id) ? Profiles[profile].Strategic : Profiles[profile].Operational;
                themeEffect[theme] = themeOffset[theme] + lift + Normal(rng, 0, 0.45);
            }
            for (var j = 0; j < q; j++)
            {
                var level = latent + themeEffect[model.ThemeOfQuestion[j]] + questionOffset[j] + Normal(rng, 0, 0.7);
                var u = rng.NextDouble();
                cells[(r * q) + j] = u < options.Missing.Blank ? CellCode.Blank
                    : u < options.Missing.Blank + options.Missing.DontKnow ? CellCode.DontKnow
                    : u < options.Missing.Blank + options.Missing.DontKnow + options.Missing.NotConcerned ? CellCode.NotConcerned
                    : (sbyte)Math.Clamp(Math.Round(level * scaleRatio), 0, max);
            }
        }
        return new ResponseSet(model, respondents, cells);
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
