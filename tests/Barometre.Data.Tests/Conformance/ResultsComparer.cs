using System.Globalization;
using Barometre.Core.Results;
using Barometre.Core.Robustness;

namespace Barometre.Data.Tests.Conformance;

/// <summary>
/// Compares two results with the rules of the reference's compare.py: integers, strings and null-ness
/// exact; floats within 1e-9 relative (absolute floor 1e-12); p-values within 1e-6; segments by
/// adjusted Rand index (≥ 0.99) and label order, their numbers only when the partitions are identical.
/// One rule is stricter: compare.py allows the bootstrap bounds 1 point, for engines that draw other
/// random numbers; Baromètre draws numpy's, so they must agree within 1e-9 unless told otherwise.
/// </summary>
internal static class ResultsComparer
{
    private const double Relative = 1e-9;
    private const double Floor = 1e-12;

    /// <summary>The differences between two results beyond the tolerances, one line each (empty when they agree).</summary>
    /// <param name="a">The first results.</param>
    /// <param name="b">The second results.</param>
    /// <param name="bootstrapTolerance">Absolute tolerance on theme bootstrap bounds, in points; null for 1e-9 relative.</param>
    public static List<string> Compare(BarometerResults a, BarometerResults b, double? bootstrapTolerance = null)
    {
        var errors = new List<string>();
        Exact(errors, "schemaVersion", a.SchemaVersion, b.SchemaVersion);
        Exact(errors, "referential", a.Referential, b.Referential);
        Exact(errors, "respondents", a.Respondents, b.Respondents);

        Exact(errors, "questions.id", Ids(a.Questions.Select(q => q.Id)), Ids(b.Questions.Select(q => q.Id)));
        foreach (var (x, y, i) in a.Questions.Zip(b.Questions).Select((p, i) => (p.First, p.Second, i)))
        {
            Exact(errors, $"questions[{i}].theme", x.Theme, y.Theme);
            Exact(errors, $"questions[{i}].answered", x.Answered, y.Answered);
            Exact(errors, $"questions[{i}].counts", Ids(x.Counts.Select(c => c.ToString(CultureInfo.InvariantCulture))), Ids(y.Counts.Select(c => c.ToString(CultureInfo.InvariantCulture))));
            Vector(errors, $"questions[{i}].shares", x.Shares, y.Shares);
            Vector(errors, $"questions[{i}].atLeast", x.AtLeast, y.AtLeast);
        }

        Exact(errors, "indicators.id", Ids(a.Indicators.Select(q => q.Id)), Ids(b.Indicators.Select(q => q.Id)));
        foreach (var (x, y, i) in a.Indicators.Zip(b.Indicators).Select((p, i) => (p.First, p.Second, i)))
        {
            Exact(errors, $"indicators[{i}].question", x.Question, y.Question);
            Exact(errors, $"indicators[{i}].predicate", x.Predicate, y.Predicate);
            Exact(errors, $"indicators[{i}].count", x.Count, y.Count);
            Exact(errors, $"indicators[{i}].answered", x.Answered, y.Answered);
            Close(errors, $"indicators[{i}].value", x.Value, y.Value);
            Close(errors, $"indicators[{i}].ci95.low", x.Ci95.Low, y.Ci95.Low);
            Close(errors, $"indicators[{i}].ci95.high", x.Ci95.High, y.Ci95.High);
        }

        Exact(errors, "themes.id", Ids(a.Themes.Select(q => q.Id)), Ids(b.Themes.Select(q => q.Id)));
        foreach (var (x, y, i) in a.Themes.Zip(b.Themes).Select((p, i) => (p.First, p.Second, i)))
        {
            Exact(errors, $"themes[{i}].scored", x.Scored, y.Scored);
            Exact(errors, $"themes[{i}].rank", x.Rank, y.Rank);
            Close(errors, $"themes[{i}].mean", x.Mean, y.Mean);
            Close(errors, $"themes[{i}].median", x.Median, y.Median);
            Close(errors, $"themes[{i}].q1", x.Q1, y.Q1);
            Close(errors, $"themes[{i}].q3", x.Q3, y.Q3);
            Close(errors, $"themes[{i}].alpha", x.Alpha, y.Alpha);
            Close(errors, $"themes[{i}].ci95.low", x.Ci95.Low, y.Ci95.Low, absolute: bootstrapTolerance);
            Close(errors, $"themes[{i}].ci95.high", x.Ci95.High, y.Ci95.High, absolute: bootstrapTolerance);
        }

        Exact(errors, "correlations.themes", Ids(a.Correlations.Themes), Ids(b.Correlations.Themes));
        Matrix(errors, "correlations.pearson", a.Correlations.Pearson, b.Correlations.Pearson);
        Matrix(errors, "correlations.spearman", a.Correlations.Spearman, b.Correlations.Spearman);
        Matrix(errors, "correlations.pValues", a.Correlations.PValues, b.Correlations.PValues, absolute: 1e-6);

        Segments(errors, a.Segments, b.Segments);

        Exact(errors, "scores.code", Ids(a.Scores.Select(s => s.Code).Order(StringComparer.Ordinal)), Ids(b.Scores.Select(s => s.Code).Order(StringComparer.Ordinal)));
        var scoresB = b.Scores.ToDictionary(s => s.Code, StringComparer.Ordinal);
        foreach (var (x, i) in a.Scores.Select((s, i) => (s, i)))
        {
            if (!scoresB.TryGetValue(x.Code, out var y))
            {
                continue;
            }
            Exact(errors, $"scores[{i}].nom", x.Nom, y.Nom);
            Exact(errors, $"scores[{i}].type", x.Type, y.Type);
            Close(errors, $"scores[{i}].index", x.Index, y.Index);
            Exact(errors, $"scores[{i}].themes keys", Ids(x.Themes.Keys.Order(StringComparer.Ordinal)), Ids(y.Themes.Keys.Order(StringComparer.Ordinal)));
            foreach (var (theme, value) in x.Themes)
            {
                Close(errors, $"scores[{i}].themes.{theme}", value, y.Themes.GetValueOrDefault(theme));
            }
        }
        return errors;
    }

    private static void Segments(List<string> errors, SegmentationResult a, SegmentationResult b)
    {
        Exact(errors, "segments.k", a.K, b.K);
        Exact(errors, "segments.groups.label", Ids(a.Groups.Select(g => g.Label)), Ids(b.Groups.Select(g => g.Label)));
        var labelA = a.Groups.SelectMany(g => g.Members.Select(m => (m, g.Label))).ToDictionary(p => p.m, p => p.Label, StringComparer.Ordinal);
        var labelB = b.Groups.SelectMany(g => g.Members.Select(m => (m, g.Label))).ToDictionary(p => p.m, p => p.Label, StringComparer.Ordinal);
        var codes = labelA.Keys.Union(labelB.Keys).Order(StringComparer.Ordinal).ToList();
        if (codes.Count == 0)
        {
            Exact(errors, "segments.silhouette", a.Silhouette is null, b.Silhouette is null);
            return;
        }
        const string None = "\0unsegmented";
        var xa = codes.Select(c => labelA.GetValueOrDefault(c, None)).ToList();
        var xb = codes.Select(c => labelB.GetValueOrDefault(c, None)).ToList();
        var ari = AdjustedRandIndex(xa, xb);
        if (ari < 0.99)
        {
            errors.Add($"segments.members adjusted Rand index {ari:F6} < 0.99");
        }
        if (xa.SequenceEqual(xb))
        {
            Close(errors, "segments.inertia", a.Inertia, b.Inertia, relative: 1e-6);
            Close(errors, "segments.silhouette", a.Silhouette, b.Silhouette, relative: 1e-6);
            foreach (var (x, y, i) in a.Groups.Zip(b.Groups).Select((p, i) => (p.First, p.Second, i)))
            {
                Exact(errors, $"segments.groups[{i}].size", x.Size, y.Size);
                Close(errors, $"segments.groups[{i}].meanIndex", x.MeanIndex, y.MeanIndex);
                foreach (var (theme, value) in x.Centroid)
                {
                    Close(errors, $"segments.groups[{i}].centroid.{theme}", value, y.Centroid.GetValueOrDefault(theme), relative: 1e-6);
                }
                Exact(errors, $"segments.groups[{i}].members", Ids(x.Members.Order(StringComparer.Ordinal)), Ids(y.Members.Order(StringComparer.Ordinal)));
            }
        }
    }

    /// <summary>Adjusted Rand index of two labelings (<see cref="SeedStability.AdjustedRandIndex"/> on the labels' numbers).</summary>
    internal static double AdjustedRandIndex(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        static int[] Numbered(IReadOnlyList<string> labels)
        {
            var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
            return [.. labels.Select(label => numbers.TryGetValue(label, out var n) ? n : numbers[label] = numbers.Count)];
        }
        return SeedStability.AdjustedRandIndex(Numbered(a), Numbered(b));
    }

    private static string Ids(IEnumerable<string> ids) => string.Join(",", ids);

    private static void Exact<T>(List<string> errors, string path, T a, T b)
    {
        if (!EqualityComparer<T>.Default.Equals(a, b))
        {
            errors.Add($"{path}: {a} != {b}");
        }
    }

    private static void Close(List<string> errors, string path, double? a, double? b, double relative = Relative, double? absolute = null)
    {
        if (a is null || b is null)
        {
            if (a is null != b is null)
            {
                errors.Add($"{path}: {a?.ToString("R", CultureInfo.InvariantCulture) ?? "null"} != {b?.ToString("R", CultureInfo.InvariantCulture) ?? "null"}");
            }
            return;
        }
        var tolerance = absolute ?? Math.Max(Floor, relative * Math.Max(Math.Abs(a.Value), Math.Abs(b.Value)));
        if (!(Math.Abs(a.Value - b.Value) <= tolerance))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{path}: {a:R} != {b:R} (diff {Math.Abs(a.Value - b.Value):G3} > {tolerance:G3})"));
        }
    }

    private static void Vector(List<string> errors, string path, IReadOnlyList<double?> a, IReadOnlyList<double?> b, double? absolute = null)
    {
        if (a.Count != b.Count)
        {
            errors.Add($"{path}: length {a.Count} != {b.Count}");
            return;
        }
        for (var i = 0; i < a.Count; i++)
        {
            Close(errors, $"{path}[{i}]", a[i], b[i], absolute: absolute);
        }
    }

    private static void Matrix(List<string> errors, string path, IReadOnlyList<IReadOnlyList<double?>> a, IReadOnlyList<IReadOnlyList<double?>> b, double? absolute = null)
    {
        if (a.Count != b.Count)
        {
            errors.Add($"{path}: {a.Count} rows != {b.Count}");
            return;
        }
        for (var i = 0; i < a.Count; i++)
        {
            Vector(errors, $"{path}[{i}]", a[i], b[i], absolute);
        }
    }
}
