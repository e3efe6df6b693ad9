using System.Numerics;
using Barometre.Core.Publication;
using Barometre.Core.Responses;

namespace Barometre.Core.Tests.Publication;

/// <summary>
/// An independent audit of a <see cref="SecrecyPlan"/>: it rebuilds every group as a set of respondents
/// (not of cells), takes the figure populations from <see cref="Barometer.Compute"/>'s own per-respondent
/// scores, reads only the plan's public decisions, and checks the secrecy properties with its own exact
/// elimination over the integers (the plan works modulo a prime, over cells) and, on small panels, by brute
/// force.
/// </summary>
internal sealed class SecrecyOracle
{
    private readonly ResponseSet _responses;
    private readonly SecrecyPlan _plan;
    private readonly int _n;
    private readonly int _words;
    private readonly string?[][] _values;
    private readonly List<(string Name, PanelFilter? Filter, string?[] Choices, ulong[] Members)> _filters;

    public SecrecyOracle(ResponseSet responses, SecrecyPlan plan)
    {
        _responses = responses;
        _plan = plan;
        _n = responses.Count;
        _words = (_n + 63) / 64;
        _values = [.. responses.Respondents.Select(r => new[]
        {
            string.IsNullOrWhiteSpace(r.Type) ? null : r.Type,
            string.IsNullOrWhiteSpace(r.Region) ? null : r.Region,
            PopulationBands.Of(r.Population)?.Id,
        })];
        Families = BuildFamilies();
        _filters = BuildFilters();
    }

    /// <summary>The filter itself (Figure null), then every figure, with who it is computed on.</summary>
    public IReadOnlyList<(string? Figure, bool[] Member)> Families { get; }

    /// <summary>
    /// Checks every family and returns the violations found (empty when none).
    /// </summary>
    /// <param name="bruteForce">Also combine up to 3 published groups with ±1 coefficients.</param>
    public List<string> Audit(bool bruteForce)
    {
        var violations = new List<string>();
        foreach (var (figure, member) in Families)
        {
            violations.AddRange(Check(figure, Groups(figure, member, PlanShows(figure)), bruteForce, allUnions: false));
        }
        return violations;
    }

    /// <summary>
    /// The violations of one family if exactly the offered filters <paramref name="shown"/> keeps were published
    /// (primary suppressions included: a filter below N that is shown is a violation): the properties (a) to (c)
    /// of <see cref="Audit"/>, and no union of cells of 1 to N − 1 respondents derivable, whatever its shape
    /// (by exhaustion: small panels only).
    /// </summary>
    public List<string> Check(string? figure, Func<PanelFilter, bool> shown) =>
        Check(figure, Groups(figure, Families.Single(f => f.Figure == figure).Member, shown), bruteForce: false, allUnions: true);

    /// <summary>Every offered filter with its respondents in the family of <paramref name="figure"/>.</summary>
    public IEnumerable<(PanelFilter Filter, int Size, string Members)> OfferedGroups(string? figure) =>
        Groups(figure, Families.Single(f => f.Figure == figure).Member, _ => true)
            .Where(g => g.Filter is not null)
            .Select(g => (g.Filter!, Size(g.Members), Key(g.Members)));

    private Func<PanelFilter, bool> PlanShows(string? figure) =>
        filter => figure is null ? !_plan.Decide(filter).Suppressed : _plan.Decide(filter).Shows(figure);

    private List<string> Check(string? figure, List<Group> groups, bool bruteForce, bool allUnions)
    {
        var violations = new List<string>();
        var threshold = _plan.Threshold;
        var whole = groups.Single(g => g.Filter is { IsWholePanel: true });
        var published = groups.Where(g => g.Published).ToList();
        var distinctPublished = published.Select(g => g.Members).DistinctBy(Key).ToList();

        // (a) every published group has at least N respondents.
        foreach (var group in published.Where(g => Size(g.Members) < threshold))
        {
            violations.Add($"{figure ?? "filtre"} {group.Name}: published with {Size(group.Members)} < {threshold}");
        }

        // (b) nested published groups differ by 0 or at least N.
        foreach (var large in published)
        {
            foreach (var small in published)
            {
                var difference = Size(large.Members) - Size(small.Members);
                if (difference > 0 && difference < threshold && IsSubset(small.Members, large.Members))
                {
                    violations.Add($"{figure ?? "filtre"} {large.Name} − {small.Name}: difference of {difference}");
                }
            }
        }

        // (c) no protected group is in the span of the published ones.
        var protectedGroups = Protected(groups, threshold, whole).DistinctBy(p => Key(p.Vector)).ToList();
        var span = new ExactSpan(_n);
        foreach (var vector in distinctPublished)
        {
            span.Add(vector);
        }
        foreach (var (name, vector) in protectedGroups)
        {
            if (span.Contains(vector))
            {
                violations.Add($"{figure ?? "filtre"} {name} ({Size(vector)}): derivable from published groups");
            }
        }

        // (d) brute force: no ±1 combination of up to 3 published groups is a protected group, or any
        // set of 1 to N − 1 respondents at all.
        if (bruteForce)
        {
            var targets = protectedGroups.Select(p => Key(p.Vector)).ToHashSet();
            foreach (var (terms, combination) in Combinations(distinctPublished, 3))
            {
                if (combination.Any(c => c is not (0 or 1)))
                {
                    continue;
                }
                var bits = Set(Enumerable.Range(0, _n).Where(r => combination[r] == 1));
                var size = Size(bits);
                if (targets.Contains(Key(bits)) || (size > 0 && size < threshold))
                {
                    violations.Add($"{figure ?? "filtre"} combination {terms} gives a protected group of {size}");
                }
            }
        }

        // (e) no union of cells of 1 to N − 1 respondents is in the span, whatever its shape. A cell is a set of
        // respondents with the same choices in every dimension (« non renseigné » included); a union of fewer
        // than N respondents holds at most N − 1 cells, each of fewer than N.
        if (allUnions)
        {
            var cells = Enumerable.Range(0, _n)
                .Where(r => (whole.Members[r >> 6] >> r & 1) == 1)
                .GroupBy(r => string.Join("|", _values[r].Select(v => v ?? Missing)))
                .Select(cell => Set(cell))
                .Where(cell => Size(cell) < threshold)
                .ToList();
            foreach (var union in Unions(cells, 0, new ulong[_words], threshold))
            {
                if (span.Contains(union))
                {
                    violations.Add($"{figure ?? "filtre"} union of cells of {Size(union)}: derivable from published groups");
                }
            }
        }
        return violations;
    }

    /// <summary>Every nonempty union of the cells from <paramref name="start"/> on, added to <paramref name="union"/>, of fewer than <paramref name="threshold"/> respondents.</summary>
    private static IEnumerable<ulong[]> Unions(List<ulong[]> cells, int start, ulong[] union, int threshold)
    {
        for (var i = start; i < cells.Count; i++)
        {
            var wider = union.Zip(cells[i], (a, b) => a | b).ToArray();
            if (Size(wider) >= threshold)
            {
                continue;
            }
            yield return wider;
            foreach (var deeper in Unions(cells, i + 1, wider, threshold))
            {
                yield return deeper;
            }
        }
    }

    private List<(string? Figure, bool[] Member)> BuildFamilies()
    {
        var model = _responses.Model;
        var scores = Barometer.Compute(_responses, new BarometerOptions { Bootstrap = 0 }).Scores;
        var families = new List<(string?, bool[])> { (null, [.. Enumerable.Repeat(true, _n)]) };
        for (var q = 0; q < model.Questions.Count; q++)
        {
            families.Add((FigureId.Question(model.Questions[q].Id), [.. Enumerable.Range(0, _n).Select(r => _responses[r, q] >= 0)]));
        }
        foreach (var theme in model.Themes)
        {
            families.Add((FigureId.Theme(theme.Id), [.. scores.Select(s => s.Themes[theme.Id] is not null)]));
        }
        foreach (var theme in model.Themes)
        {
            var questions = theme.Questions.Select(question => model.IndexOfQuestion(question.Id)).ToArray();
            families.Add((FigureId.Alpha(theme.Id), [.. Enumerable.Range(0, _n).Select(r => questions.All(q => _responses[r, q] >= 0))]));
        }
        for (var a = 0; a < model.Themes.Count; a++)
        {
            for (var b = a + 1; b < model.Themes.Count; b++)
            {
                var (first, second) = (model.Themes[a].Id, model.Themes[b].Id);
                families.Add((FigureId.Correlation(first, second), [.. scores.Select(s => s.Themes[first] is not null && s.Themes[second] is not null)]));
            }
        }
        families.Add((FigureId.Index, [.. scores.Select(s => s.Index is not null)]));
        return families;
    }

    /// <summary>A choice in one dimension: a value, « all » (null) or « non renseigné » (<see cref="Missing"/>).</summary>
    private const string Missing = "\u0000non renseigné";

    private sealed record Group(string Name, PanelFilter? Filter, string?[] Choices, ulong[] Members, bool Published, bool Hidden);

    /// <summary>Every group of the extended lattice (values, « all », « non renseigné ») for one family.</summary>
    private List<Group> Groups(string? figure, bool[] member, Func<PanelFilter, bool> isShown)
    {
        var mask = Set(Enumerable.Range(0, _n).Where(r => member[r]));
        var groups = new List<Group>(_filters.Count);
        foreach (var (name, filter, choices, inFilter) in _filters)
        {
            var members = And(inFilter, mask);
            if (filter is null)
            {
                groups.Add(new Group(name, null, choices, members, false, false));
                continue;
            }
            var shown = isShown(filter);
            var nonempty = Size(members) > 0;
            groups.Add(new Group(name, filter, choices, members, nonempty && shown, nonempty && !shown));
        }
        return groups;
    }

    /// <summary>The groups of the extended lattice before any figure population: name, filter (null when virtual), choices, members.</summary>
    private List<(string Name, PanelFilter? Filter, string?[] Choices, ulong[] Members)> BuildFilters()
    {
        string?[][] options =
        [
            [null, .. _plan.Types, Missing],
            [null, .. _plan.Regions, Missing],
            [null, .. _plan.PopulationBands, Missing],
        ];
        var result = new List<(string, PanelFilter?, string?[], ulong[])>();
        foreach (var type in options[0])
        {
            foreach (var region in options[1])
            {
                foreach (var band in options[2])
                {
                    string?[] choices = [type, region, band];
                    var inFilter = Enumerable.Range(0, _n).Where(r => Enumerable.Range(0, 3).All(d => Keeps(choices[d], _values[r][d]))).ToList();
                    var name = string.Join(" × ", choices.Select(c => c ?? "*").Select(c => c == Missing ? "NR" : c));
                    if (choices.Contains(Missing))
                    {
                        result.Add((name, null, choices, Set(inFilter)));
                        continue;
                    }
                    var filter = new PanelFilter(type, region, band);
                    // The oracle's membership agrees with the filter's own, and with the plan's count.
                    if (!inFilter.SequenceEqual(Enumerable.Range(0, _n).Where(r => filter.Matches(_responses.Respondents[r]))))
                    {
                        throw new InvalidOperationException($"Membership of {name} differs from PanelFilter.Matches.");
                    }
                    if (_plan.Decide(filter).Respondents != inFilter.Count)
                    {
                        throw new InvalidOperationException($"{name}: the plan counts {_plan.Decide(filter).Respondents}, the oracle {inFilter.Count}.");
                    }
                    result.Add((name, filter, choices, Set(inFilter)));
                }
            }
        }
        return result;
    }

    private static bool Keeps(string? choice, string? value) =>
        choice is null || (choice == Missing ? value is null : value is not null && string.Equals(choice, value, StringComparison.Ordinal));

    /// <summary>
    /// The groups no combination of published groups may give: hidden groups (except one equal to the whole
    /// population of the family while that is published — the panel's own figure, not a secret); every group
    /// of the extended lattice with 1 to N − 1 members; every difference of nested groups with 1 to N − 1;
    /// every group minus its published children along one dimension, with 1 to N − 1.
    /// </summary>
    private static List<(string Name, ulong[] Vector)> Protected(List<Group> groups, int threshold, Group whole)
    {
        var result = new List<(string, ulong[])>();
        foreach (var group in groups)
        {
            var size = Size(group.Members);
            if (group.Hidden && !(whole.Published && Key(group.Members) == Key(whole.Members)))
            {
                result.Add(($"hidden {group.Name}", group.Members));
            }
            else if (size > 0 && size < threshold)
            {
                result.Add(($"small {group.Name}", group.Members));
            }
        }
        var sizes = groups.Select(g => Size(g.Members)).ToArray();
        for (var i = 0; i < groups.Count; i++)
        {
            for (var j = 0; j < groups.Count; j++)
            {
                var difference = sizes[i] - sizes[j];
                if (difference > 0 && difference < threshold && IsSubset(groups[j].Members, groups[i].Members))
                {
                    result.Add(($"{groups[i].Name} − {groups[j].Name}", AndNot(groups[i].Members, groups[j].Members)));
                }
            }
        }
        // Children of a group along d: the groups that agree with it except in d, where they fix a choice.
        var byOthers = new Dictionary<(int, string, string), List<Group>>();
        foreach (var group in groups)
        {
            for (var d = 0; d < 3; d++)
            {
                if (group.Choices[d] is not null && group.Published)
                {
                    var key = (d, group.Choices[(d + 1) % 3] ?? "*", group.Choices[(d + 2) % 3] ?? "*");
                    if (!byOthers.TryGetValue(key, out var list))
                    {
                        byOthers[key] = list = [];
                    }
                    list.Add(group);
                }
            }
        }
        foreach (var parent in groups)
        {
            for (var d = 0; d < 3; d++)
            {
                if (parent.Choices[d] is not null)
                {
                    continue;
                }
                var rest = parent.Members;
                var any = false;
                foreach (var child in byOthers.GetValueOrDefault((d, parent.Choices[(d + 1) % 3] ?? "*", parent.Choices[(d + 2) % 3] ?? "*"), []))
                {
                    rest = AndNot(rest, child.Members);
                    any = true;
                }
                var size = Size(rest);
                if (any && size > 0 && size < threshold)
                {
                    result.Add(($"{parent.Name} minus its published children along {d}", rest));
                }
            }
        }
        return result;
    }

    private static IEnumerable<(string Terms, int[] Combination)> Combinations(List<ulong[]> vectors, int maxTerms)
    {
        var n = vectors.Count == 0 ? 0 : vectors[0].Length * 64;
        var dense = vectors.Select(v => Enumerable.Range(0, n).Select(r => (v[r >> 6] >> r & 1) == 1 ? 1 : 0).ToArray()).ToList();
        var stack = new List<(int Index, int Sign)>();
        var sum = new int[n];
        foreach (var result in Extend(0))
        {
            yield return result;
        }

        IEnumerable<(string, int[])> Extend(int start)
        {
            for (var i = start; i < dense.Count; i++)
            {
                foreach (var sign in new[] { 1, -1 })
                {
                    for (var r = 0; r < n; r++)
                    {
                        sum[r] += sign * dense[i][r];
                    }
                    stack.Add((i, sign));
                    yield return (string.Join(" ", stack.Select(t => (t.Sign > 0 ? "+" : "−") + t.Index)), sum);
                    if (stack.Count < maxTerms)
                    {
                        foreach (var deeper in Extend(i + 1))
                        {
                            yield return deeper;
                        }
                    }
                    stack.RemoveAt(stack.Count - 1);
                    for (var r = 0; r < n; r++)
                    {
                        sum[r] -= sign * dense[i][r];
                    }
                }
            }
        }
    }

    private ulong[] Set(IEnumerable<int> respondents)
    {
        var bits = new ulong[_words];
        foreach (var r in respondents)
        {
            bits[r >> 6] |= 1UL << r;
        }
        return bits;
    }

    private static int Size(ulong[] bits) => bits.Sum(BitOperations.PopCount);

    private static bool IsSubset(ulong[] small, ulong[] large)
    {
        for (var w = 0; w < small.Length; w++)
        {
            if ((small[w] & ~large[w]) != 0)
            {
                return false;
            }
        }
        return true;
    }

    private static ulong[] AndNot(ulong[] a, ulong[] b)
    {
        var result = new ulong[a.Length];
        for (var w = 0; w < a.Length; w++)
        {
            result[w] = a[w] & ~b[w];
        }
        return result;
    }

    private static ulong[] And(ulong[] a, ulong[] b)
    {
        var result = new ulong[a.Length];
        for (var w = 0; w < a.Length; w++)
        {
            result[w] = a[w] & b[w];
        }
        return result;
    }

    private static string Key(ulong[] bits) => string.Join(",", bits);

    /// <summary>
    /// Exact Gaussian elimination over the integers (fraction-free, rows kept primitive by their gcd and fully
    /// reduced), in checked 128-bit arithmetic: an overflow throws rather than giving a wrong answer.
    /// </summary>
    private sealed class ExactSpan(int dimension)
    {
        private readonly List<(int Pivot, Int128[] Row)> _rows = [];

        public void Add(ulong[] bits)
        {
            var v = Reduce(bits);
            var pivot = Array.FindIndex(v, x => x != 0);
            if (pivot < 0)
            {
                return;
            }
            // Clear the new pivot column from the older rows.
            for (var i = 0; i < _rows.Count; i++)
            {
                var (oldPivot, row) = _rows[i];
                if (row[pivot] != 0)
                {
                    _rows[i] = (oldPivot, Eliminate(row, v, pivot));
                }
            }
            _rows.Add((pivot, v));
        }

        public bool Contains(ulong[] bits) => Array.TrueForAll(Reduce(bits), x => x == 0);

        private Int128[] Reduce(ulong[] bits)
        {
            var v = new Int128[dimension];
            for (var r = 0; r < dimension; r++)
            {
                v[r] = (Int128)(bits[r >> 6] >> r & 1);
            }
            foreach (var (pivot, row) in _rows)
            {
                if (v[pivot] != 0)
                {
                    v = Eliminate(v, row, pivot);
                }
            }
            return v;
        }

        /// <summary>row[pivot]·v − v[pivot]·row, divided by the gcd of its entries: zero at the pivot.</summary>
        private static Int128[] Eliminate(Int128[] v, Int128[] row, int pivot)
        {
            var a = row[pivot];
            var b = v[pivot];
            var result = new Int128[v.Length];
            Int128 gcd = 0;
            for (var i = 0; i < v.Length; i++)
            {
                result[i] = checked((a * v[i]) - (b * row[i]));
                gcd = Gcd(gcd, Int128.Abs(result[i]));
            }
            if (gcd > 1)
            {
                for (var i = 0; i < result.Length; i++)
                {
                    result[i] /= gcd;
                }
            }
            return result;
        }

        private static Int128 Gcd(Int128 a, Int128 b)
        {
            while (b != 0)
            {
                (a, b) = (b, a % b);
            }
            return a;
        }
    }
}
