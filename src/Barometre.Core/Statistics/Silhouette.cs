namespace Barometre.Core.Statistics;

/// <summary>The silhouette of a partition, exact (every pairwise Euclidean distance, no sampling).</summary>
public static class Silhouette
{
    /// <summary>
    /// The mean silhouette coefficient of a partition, as scikit-learn's <c>silhouette_score</c>:
    /// s = (b − a) / max(a, b) with a the mean distance to the other members of one's own cluster and
    /// b the smallest mean distance to another cluster; 0 for a member of a singleton cluster.
    /// NaN unless 2 ≤ number of non-empty clusters ≤ n − 1.
    /// </summary>
    /// <param name="points">Row-major n × <paramref name="dimensions"/> coordinates.</param>
    /// <param name="dimensions">Number of coordinates per point.</param>
    /// <param name="labels">The cluster of each point, 0..<paramref name="clusters"/>−1.</param>
    /// <param name="clusters">Number of clusters k.</param>
    public static double Mean(ReadOnlySpan<double> points, int dimensions, ReadOnlySpan<int> labels, int clusters)
    {
        var n = labels.Length;
        var sizes = new int[clusters];
        foreach (var label in labels)
        {
            sizes[label]++;
        }
        var nonEmpty = sizes.Count(size => size > 0);
        if (nonEmpty < 2 || nonEmpty > n - 1)
        {
            return double.NaN;
        }

        // distanceSums[i × k + c] = Σ distance(i, j) over members j of cluster c; each pair is computed once.
        var distanceSums = new double[n * clusters];
        for (var i = 0; i < n; i++)
        {
            var pi = points.Slice(i * dimensions, dimensions);
            var li = labels[i];
            for (var j = i + 1; j < n; j++)
            {
                var distance = Math.Sqrt(KMeans.SquaredDistance(pi, points.Slice(j * dimensions, dimensions)));
                distanceSums[(i * clusters) + labels[j]] += distance;
                distanceSums[(j * clusters) + li] += distance;
            }
        }

        var total = 0.0;
        for (var i = 0; i < n; i++)
        {
            var own = labels[i];
            if (sizes[own] == 1)
            {
                continue;
            }
            var a = distanceSums[(i * clusters) + own] / (sizes[own] - 1);
            var b = double.PositiveInfinity;
            for (var c = 0; c < clusters; c++)
            {
                if (c != own && sizes[c] > 0)
                {
                    b = Math.Min(b, distanceSums[(i * clusters) + c] / sizes[c]);
                }
            }
            var scale = Math.Max(a, b);
            total += scale > 0 ? (b - a) / scale : 0;
        }
        return total / n;
    }
}
