using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Barometre.Core.Results;

/// <summary>
/// Every respondent's theme scores in one table, which each respondent sees as a dictionary keyed by theme
/// id: one array for the whole panel instead of one dictionary per respondent.
/// </summary>
/// <param name="themeIds">The theme ids, in model order.</param>
/// <param name="scores">Row-major scores, respondent × theme; a non-finite score is undefined. Not copied.</param>
internal sealed class ThemeScoreTable(string[] themeIds, double[] scores)
{
    /// <summary>The theme ids, in model order.</summary>
    public IReadOnlyList<string> ThemeIds => themeIds;

    /// <summary>A respondent's scores.</summary>
    public ThemeScoreRow Row(int respondent) => new(this, respondent * themeIds.Length);

    internal int Width => themeIds.Length;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal double? Score(int offset, int theme)
    {
        var score = scores[offset + theme];
        return double.IsFinite(score) ? score : null;
    }

    internal int IndexOf(string themeId)
    {
        ArgumentNullException.ThrowIfNull(themeId);
        // A model has a handful of themes: a scan is as fast as hashing.
        for (var t = 0; t < themeIds.Length; t++)
        {
            if (string.Equals(themeIds[t], themeId, StringComparison.Ordinal))
            {
                return t;
            }
        }
        return -1;
    }
}

/// <summary>One respondent's theme scores by theme id, in model order; an undefined score is null.</summary>
internal sealed class ThemeScoreRow : IReadOnlyDictionary<string, double?>
{
    private readonly int _offset;

    internal ThemeScoreRow(ThemeScoreTable table, int offset)
    {
        Table = table;
        _offset = offset;
    }

    /// <summary>The table the row belongs to; rows of one table share their theme ids.</summary>
    public ThemeScoreTable Table { get; }

    public int Count => Table.Width;

    public IEnumerable<string> Keys => Table.ThemeIds;

    public IEnumerable<double?> Values
    {
        get
        {
            for (var t = 0; t < Count; t++)
            {
                yield return ScoreAt(t);
            }
        }
    }

    public double? this[string key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The given key '{key}' was not present in the dictionary.");

    /// <summary>The score of the theme at a model index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double? ScoreAt(int theme) => Table.Score(_offset, theme);

    public bool ContainsKey(string key) => Table.IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out double? value)
    {
        var theme = Table.IndexOf(key);
        value = theme >= 0 ? ScoreAt(theme) : null;
        return theme >= 0;
    }

    public IEnumerator<KeyValuePair<string, double?>> GetEnumerator()
    {
        for (var t = 0; t < Count; t++)
        {
            yield return new KeyValuePair<string, double?>(Table.ThemeIds[t], ScoreAt(t));
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
