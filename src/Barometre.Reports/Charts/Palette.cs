using System.Globalization;

namespace Barometre.Reports.Charts;

/// <summary>
/// The one palette of every chart: a sequential ramp for maturity levels, a colour-blind-safe
/// qualitative set (Okabe–Ito) with a marker shape per segment, a diverging ramp for correlations.
/// Each colour comes with the text colour that keeps a 4.5:1 contrast on it.
/// </summary>
public static class Palette
{
    /// <summary>Ink for text and axes.</summary>
    public const string Ink = "#1b2430";

    /// <summary>Secondary text.</summary>
    public const string Muted = "#4f5b69";

    /// <summary>Grid lines and light rules.</summary>
    public const string Grid = "#d5dbe3";

    /// <summary>The accent of the reports (titles, the collectivité's own marks).</summary>
    public const string Accent = "#b4235a";

    /// <summary>The brand blue (headings, the panel's marks).</summary>
    public const string Primary = "#1d4a7a";

    /// <summary>A light bar beside the primary ones (the ranking's middle themes, ranks that move).</summary>
    public const string LightBar = "#7aa6c8";

    // Blue-grey to dark blue, « sujet non abordé » to « mise en œuvre complète et effective », lightness alone
    // ordering them (readable without colour vision). Level 0 is at 3:1 against white, so that its bar stands
    // out from the page (WCAG 1.4.11), and takes ink text; the other stops are even steps of contrast (about
    // 1.35:1) dark enough for white text at 4.5:1 — nothing falls between, where neither text would read.
    private static readonly (byte R, byte G, byte B)[] LevelRamp =
    [
        (0x7B, 0x94, 0xB2), (0x5C, 0x75, 0x97), (0x47, 0x60, 0x85), (0x32, 0x4D, 0x73), (0x1D, 0x38, 0x61), (0x06, 0x20, 0x4B),
    ];

    private static readonly string[] SegmentColours = ["#0072B2", "#E69F00", "#CC79A7", "#009E73", "#D55E00", "#56B4E9", "#7F7F7F", "#000000"];

    /// <summary>The fill of a level on a scale of <paramref name="levels"/> levels.</summary>
    public static string Level(int level, int levels)
    {
        // Level 0 takes the first stop; the others spread evenly over the rest, the top level the darkest.
        var position = level <= 0 || levels <= 1 ? 0
            : levels == 2 ? LevelRamp.Length - 1
            : 1 + ((level - 1) * (LevelRamp.Length - 2.0) / (levels - 2));
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, LevelRamp.Length - 1);
        var t = position - low;
        return Hex(Lerp(LevelRamp[low].R, LevelRamp[high].R, t), Lerp(LevelRamp[low].G, LevelRamp[high].G, t), Lerp(LevelRamp[low].B, LevelRamp[high].B, t));
    }

    /// <summary>The colour of segment <paramref name="index"/> (0 = the most mature).</summary>
    public static string Segment(int index) => SegmentColours[index % SegmentColours.Length];

    /// <summary>The marker shape of segment <paramref name="index"/>, so that colour is not the only cue.</summary>
    public static MarkerShape SegmentMarker(int index) => (MarkerShape)(index % 4);

    /// <summary>The fill of a correlation r in [−1, 1]: blue for positive, red for negative, white at 0.</summary>
    public static string Correlation(double r)
    {
        var t = Math.Clamp(Math.Abs(r), 0, 1);
        var (red, green, blue) = r >= 0 ? ((byte)0x21, (byte)0x66, (byte)0xAC) : ((byte)0xB2, (byte)0x18, (byte)0x2B);
        return Hex(Lerp(255, red, t), Lerp(255, green, t), Lerp(255, blue, t));
    }

    /// <summary>Black or white, whichever reads best on <paramref name="fill"/> (WCAG relative luminance).</summary>
    public static string TextOn(string fill)
    {
        var luminance = RelativeLuminance(fill);
        // Contrast with white is 1.05/(L+0.05); with the ink (luminance ≈ 0.017), (L+0.05)/0.067.
        return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.067 ? "#ffffff" : Ink;
    }

    /// <summary>The WCAG contrast ratio of two colours « #rrggbb » (1 to 21).</summary>
    public static double Contrast(string first, string second)
    {
        var (a, b) = (RelativeLuminance(first), RelativeLuminance(second));
        return (Math.Max(a, b) + 0.05) / (Math.Min(a, b) + 0.05);
    }

    internal static double RelativeLuminance(string hex)
    {
        static double Channel(int value)
        {
            var c = value / 255.0;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }
        var r = int.Parse(hex.AsSpan(1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var g = int.Parse(hex.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var b = int.Parse(hex.AsSpan(5, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return (0.2126 * Channel(r)) + (0.7152 * Channel(g)) + (0.0722 * Channel(b));
    }

    private static byte Lerp(byte a, byte b, double t) => (byte)Math.Round(a + ((b - a) * t));

    private static string Hex(byte r, byte g, byte b) => string.Create(CultureInfo.InvariantCulture, $"#{r:x2}{g:x2}{b:x2}");
}

/// <summary>Marker shapes that tell series apart without colour.</summary>
public enum MarkerShape
{
    /// <summary>A disc.</summary>
    Circle,

    /// <summary>A square.</summary>
    Square,

    /// <summary>An upward triangle.</summary>
    Triangle,

    /// <summary>A diamond.</summary>
    Diamond,
}
