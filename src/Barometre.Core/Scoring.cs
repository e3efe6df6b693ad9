using System.Runtime.CompilerServices;

namespace Barometre.Core;

/// <summary>
/// The barometer's scoring rules, each defined here once: a respondent's theme score and when there is one,
/// the global index and when there is one, and the ranking of the themes. <see cref="Barometer"/>, the
/// robustness analysis (<see cref="Robustness.WeightSensitivity"/>) and the populations of the secrecy rules
/// (<see cref="Publication.SecrecyPlan"/>) all call these functions.
/// </summary>
/// <remarks>
/// <para>
/// A cell holds a level when it is 0 or above (<see cref="Responses.CellCode"/>): a blank, « ne sait pas » and
/// « non concerné » are unanswered and count in no denominator.
/// </para>
/// <para>
/// The thresholds count questions answered and themes scored, never weights: the same scores exist whatever
/// the weights, which is what lets the robustness analysis vary them.
/// </para>
/// </remarks>
public static class Scoring
{
    /// <summary>The fewest questions answered with a level that give a theme of <paramref name="questions"/> questions a score: half of them, rounded up.</summary>
    /// <param name="questions">The theme's number of questions.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int AnswersToScore(int questions) => (questions + 1) / 2;

    /// <summary>Whether a respondent has a score on a theme: at least half of its questions answered with a level.</summary>
    /// <param name="answered">The theme's questions the respondent answered with a level.</param>
    /// <param name="questions">The theme's number of questions.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsThemeScored(int answered, int questions) => answered >= AnswersToScore(questions);

    /// <summary>The fewest scored themes that give a respondent a global index, out of <paramref name="themes"/>: two thirds of them, rounded up.</summary>
    /// <param name="themes">The model's number of themes.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ThemesForIndex(int themes) => ((2 * themes) + 2) / 3;

    /// <summary>Whether a respondent has a global index: a score on at least two thirds of the themes.</summary>
    /// <param name="scoredThemes">The themes on which the respondent has a score.</param>
    /// <param name="themes">The model's number of themes.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool HasGlobalIndex(int scoredThemes, int themes) => scoredThemes >= ThemesForIndex(themes);

    /// <summary>
    /// A theme score from its sums: the mean level, Σ g·level ÷ Σ g over the questions answered with a level,
    /// brought to 0–100 (× <see cref="Model.Scale.ScoreFactor"/>, 100/(L − 1)). Every weight g is 1 in the
    /// published results; the robustness analysis draws them.
    /// </summary>
    /// <param name="levels">Σ g·level over the questions answered with a level.</param>
    /// <param name="weights">Σ g over the same questions (their number when every g is 1).</param>
    /// <param name="scoreFactor">The scale's <see cref="Model.Scale.ScoreFactor"/>.</param>
    /// <remarks>Call it only for a scored theme (<see cref="IsThemeScored"/>).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ThemeScore(double levels, double weights, double scoreFactor) => levels / weights * scoreFactor;

    /// <summary>A respondent's score on a theme, as published: its mean level × 100/(L − 1); NaN when the theme is not scored.</summary>
    /// <param name="cells">The respondent's cells for the theme's questions, in model order.</param>
    /// <param name="scoreFactor">The scale's <see cref="Model.Scale.ScoreFactor"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ThemeScore(ReadOnlySpan<sbyte> cells, double scoreFactor)
    {
        int sum = 0, answered = 0;
        foreach (var cell in cells)
        {
            if (cell >= 0)
            {
                sum += cell;
                answered++;
            }
        }
        return IsThemeScored(answered, cells.Length) ? ThemeScore(sum, answered, scoreFactor) : double.NaN;
    }

    /// <summary>
    /// A respondent's score on a theme under question weights (the robustness analysis's draws):
    /// Σ g·level ÷ Σ g over the questions answered with a level, × 100/(L − 1); NaN when the theme is not scored.
    /// With every weight 1 it is the published score, bit for bit.
    /// </summary>
    /// <param name="cells">The respondent's cells for the theme's questions, in model order.</param>
    /// <param name="questionWeights">The weight g of each of these questions.</param>
    /// <param name="scoreFactor">The scale's <see cref="Model.Scale.ScoreFactor"/>.</param>
    /// <exception cref="ArgumentException">Not one weight per cell.</exception>
    public static double ThemeScore(ReadOnlySpan<sbyte> cells, ReadOnlySpan<double> questionWeights, double scoreFactor)
    {
        if (questionWeights.Length != cells.Length)
        {
            ThrowCountMismatch("question weights", cells.Length, questionWeights.Length, nameof(questionWeights));
        }
        double levels = 0, weights = 0;
        var answered = 0;
        for (var j = 0; j < cells.Length; j++)
        {
            if (cells[j] >= 0)
            {
                levels += cells[j] * questionWeights[j];
                weights += questionWeights[j];
                answered++;
            }
        }
        return IsThemeScored(answered, cells.Length) ? ThemeScore(levels, weights, scoreFactor) : double.NaN;
    }

    /// <summary>
    /// A respondent's global index: the mean of its theme scores weighted by <paramref name="weights"/>, over
    /// the themes it has a score on; NaN when it has a score on fewer than two thirds of them.
    /// </summary>
    /// <param name="themeScores">The respondent's theme scores in model order, NaN where it has none.</param>
    /// <param name="weights">The weight of each theme (the model's; the robustness analysis multiplies them by its factors).</param>
    /// <exception cref="ArgumentException">Not one weight per theme.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double GlobalIndex(ReadOnlySpan<double> themeScores, ReadOnlySpan<double> weights)
    {
        if (weights.Length != themeScores.Length)
        {
            ThrowCountMismatch("theme weights", themeScores.Length, weights.Length, nameof(weights));
        }
        double weighted = 0, total = 0;
        var scored = 0;
        for (var theme = 0; theme < themeScores.Length; theme++)
        {
            var score = themeScores[theme];
            if (!double.IsNaN(score))
            {
                weighted += score * weights[theme];
                total += weights[theme];
                scored++;
            }
        }
        return HasGlobalIndex(scored, themeScores.Length) ? weighted / total : double.NaN;
    }

    /// <summary>
    /// The key themes are ranked on: the theme's mean score rounded to 9 decimals, so that floating-point noise
    /// cannot split an exact tie (a larger key ranks first; ties keep model order).
    /// </summary>
    /// <param name="mean">The theme's mean score over the respondents scored on it.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double RankKey(double mean) => Math.Round(mean, 9);

    /// <summary>
    /// Ranks the themes by decreasing <see cref="RankKey"/> of their mean, ties in model order: writes each theme's
    /// rank, from 1, to <paramref name="ranks"/>, and 0 for a theme without a mean (NaN: nobody scored on it).
    /// </summary>
    /// <param name="means">The themes' mean scores, in model order.</param>
    /// <param name="ranks">Receives the ranks, one per theme.</param>
    /// <exception cref="ArgumentException">Not one rank per mean.</exception>
    public static void RankThemes(ReadOnlySpan<double> means, Span<int> ranks)
    {
        var t = means.Length;
        if (t <= 64)
        {
            RankThemes(means, ranks, stackalloc double[t], stackalloc int[t]);
        }
        else
        {
            RankThemes(means, ranks, new double[t], new int[t]);
        }
    }

    /// <summary>As the public overload, with the caller's scratch space (one entry per theme in each) for a loop that ranks often.</summary>
    internal static void RankThemes(ReadOnlySpan<double> means, Span<int> ranks, Span<double> keys, Span<int> order)
    {
        var t = means.Length;
        if (ranks.Length != t)
        {
            ThrowCountMismatch("ranks", t, ranks.Length, nameof(ranks));
        }
        // A stable insertion sort by decreasing key, a tie staying behind the earlier theme: a model has a handful
        // of themes, and a LINQ OrderBy over value types would cost a cold process more to compile than the
        // whole computation of the statistics takes.
        var ranked = 0;
        for (var theme = 0; theme < t; theme++)
        {
            ranks[theme] = 0;
            if (double.IsNaN(means[theme]))
            {
                continue;
            }
            var key = RankKey(means[theme]);
            var position = ranked;
            while (position > 0 && keys[position - 1] < key)
            {
                keys[position] = keys[position - 1];
                order[position] = order[position - 1];
                position--;
            }
            keys[position] = key;
            order[position] = theme;
            ranked++;
        }
        for (var p = 0; p < ranked; p++)
        {
            ranks[order[p]] = p + 1;
        }
    }

    // Out of line, so that the functions that check their arguments stay small enough to inline.
    private static void ThrowCountMismatch(string what, int expected, int actual, string parameter) =>
        throw new ArgumentException($"Expected {expected} {what}, got {actual}.", parameter);
}
