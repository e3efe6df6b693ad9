using System.Numerics;
using Barometre.Core.Publication;

namespace Barometre.Core.Tests.Publication;

public sealed class InterimReleasesTest
{
    private static readonly DateTime Start = new(2026, 12, 1, 8, 0, 0, DateTimeKind.Utc);

    private static readonly HashSet<string> NoMembers = new(StringComparer.Ordinal);

    [Theory]
    [InlineData(1, 2)]
    [InlineData(3, 6)]
    [InlineData(5, 10)]
    public void FirstReleaseAt_TwiceTheThreshold(int threshold, int expected)
    {
        Assert.Equal(expected, InterimReleases.FirstReleaseAt(threshold));
    }

    [Fact]
    public void Next_BelowTwiceTheThreshold_NoRelease()
    {
        Assert.Null(InterimReleases.Next(Submitted(5), NoMembers, 3));
        Assert.Null(InterimReleases.Next([], NoMembers, 3));
    }

    [Fact]
    public void Next_AtTwiceTheThreshold_TheOldestNJoinAndTheNewestNAreHeldBack()
    {
        var plan = InterimReleases.Next(Submitted(6), NoMembers, 3);

        Assert.NotNull(plan);
        Assert.Equal(["C0", "C1", "C2"], plan.Joining);
        Assert.Equal(["C0", "C1", "C2"], plan.Current);
        Assert.Empty(plan.Kept);
        Assert.Equal(["C3", "C4", "C5"], plan.HeldBack);
        Assert.Equal(3, plan.Respondents);
    }

    [Fact]
    public void Next_OrdersBySubmissionTimeThenSequence_NotByInputOrder()
    {
        // C5 was submitted first; C0 and C1 at the same instant, C1 with the smaller sequence.
        Submission[] submitted =
        [
            new("C0", Start.AddMinutes(2), 10),
            new("C1", Start.AddMinutes(2), 4),
            new("C2", Start.AddMinutes(3), 1),
            new("C3", Start.AddMinutes(4), 2),
            new("C5", Start, 99),
        ];

        var plan = InterimReleases.Next(submitted, NoMembers, 2);

        Assert.NotNull(plan);
        Assert.Equal(["C5", "C1", "C0"], plan.Joining);
        Assert.Equal(["C2", "C3"], plan.HeldBack);
    }

    [Fact]
    public void Next_FewerThanNFreshReady_TheLatestReleaseStands()
    {
        // Members C0–C2; C3–C7 are fresh: the newest 3 are held back, 2 are ready — fewer than 3.
        var members = Members("C0", "C1", "C2");

        Assert.Null(InterimReleases.Next(Submitted(8), members, 3));

        var plan = InterimReleases.Next(Submitted(9), members, 3);
        Assert.NotNull(plan);
        Assert.Equal(["C3", "C4", "C5"], plan.Joining);
        Assert.Equal(["C6", "C7", "C8"], plan.HeldBack);
        Assert.Equal(["C0", "C1", "C2", "C3", "C4", "C5"], plan.Current);
    }

    [Fact]
    public void Next_MemberSubmittedAgainLast_IsNotHeldBackAndTakesItsCurrentAnswers()
    {
        // C1 was reopened and submitted again after everybody else: it is a member, so its answers are taken now.
        var submitted = Submitted(9).Select(s => s.Code == "C1" ? s with { SubmittedAt = Start.AddDays(1) } : s).ToList();

        var plan = InterimReleases.Next(submitted, Members("C0", "C1", "C2"), 3);

        Assert.NotNull(plan);
        Assert.Equal(["C3", "C4", "C5"], plan.Joining);
        Assert.Equal(["C6", "C7", "C8"], plan.HeldBack);
        Assert.Contains("C1", plan.Current);
    }

    [Fact]
    public void Next_MemberReopened_IsKeptWithItsFrozenAnswers()
    {
        // C1 is reopened (not submitted now): it stays in the panel, and does not count as fresh.
        var submitted = Submitted(10).Where(s => s.Code != "C1").ToList();

        var plan = InterimReleases.Next(submitted, Members("C0", "C1", "C2"), 3);

        Assert.NotNull(plan);
        Assert.Equal(["C1"], plan.Kept);
        Assert.Equal(["C3", "C4", "C5", "C6"], plan.Joining);
        Assert.Equal(["C7", "C8", "C9"], plan.HeldBack);
        Assert.Equal(7, plan.Respondents);
    }

    [Fact]
    public void Next_ReopensBetweenReleases_NoLaterReleaseDiffersFromAnEarlierOneByFewerThanN()
    {
        // The rule first written for this feature compared a candidate with the latest release only, and a release
        // dropped its reopened members. Then: R1 = {X, p}; p reopened; R2 = X + 3 newcomers; those reopened, p
        // submitted again; R3 = X + p + 2 newcomers was made (p counted as new against R2), and a reader who saw R1,
        // then R3, got the sum of 2 collectivités. Members now stay, so p is not fresh and R3 waits for 3 newcomers.
        const int N = 3;
        var x = new[] { "X0", "X1" };
        var r1 = Members([.. x, "P"]);
        var r2 = Members([.. x, "P", "A0", "A1", "A2"]);
        // Submitted now: X, p (again), B0–B1 (2 fresh ready), B2–B4 (held back); A0–A2 reopened.
        var now = new[] { "X0", "X1", "B0", "B1", "P", "B2", "B3", "B4" }.Select((code, i) => new Submission(code, Start.AddMinutes(i), i)).ToList();

        Assert.Null(InterimReleases.Next(now, r2, N));

        now.Add(new Submission("B5", Start.AddHours(1), 100));
        var plan = InterimReleases.Next(now, r2, N);
        Assert.NotNull(plan);
        var r3 = plan.Current.Concat(plan.Kept).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(["A0", "A1", "A2"], plan.Kept);
        Assert.True(r3.Except(r1).Count() >= N);
        Assert.True(r3.Except(r2).Count() >= N);
    }

    [Fact]
    public void Next_InvalidInput_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => InterimReleases.Next(Submitted(4), NoMembers, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => InterimReleases.FirstReleaseAt(0));
        var twice = Submitted(6).Append(new Submission("C2", Start.AddDays(1), 50));
        var error = Assert.Throws<ArgumentException>(() => InterimReleases.Next(twice, NoMembers, 2));
        Assert.Contains("C2", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Random campaigns (submissions, operator reopens, corrections of submitted answers during the review, views that
    /// make releases lazily), checked by brute force: (a) any two views — a reader may skip releases — show the same
    /// release or releases whose members differ by at least N; (b) each release brings at least N questionnaires no
    /// earlier release held, and loses none; (c) no questionnaire version (the answers one collectivité had between
    /// two changes) is a linear combination of the sums of the releases and the final results, even for an insider
    /// who knows every version of its own questionnaire when N ≥ 3 (with N = 2 an insider in a pair learns the other,
    /// which statistical secrecy at 2 allows at any single moment too); (d) the final results hold at least N
    /// questionnaires of no release unless the operator reopened one held back and it was never submitted again.
    /// </summary>
    [Theory]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(5, 4)]
    public void Next_RandomCampaigns_SuccessiveViewsDifferByZeroOrAtLeastN(int threshold, int seed)
    {
        var random = new Random(seed);
        for (var campaign = 0; campaign < 150; campaign++)
        {
            var simulation = new Simulation(threshold, codes: random.Next(2 * threshold, 8 * threshold));
            var events = random.Next(20, 120);
            for (var e = 0; e < events; e++)
            {
                var roll = random.NextDouble();
                if (roll < 0.45)
                {
                    simulation.SubmitOne(random);
                }
                else if (roll < 0.55)
                {
                    simulation.ReopenOne(random);
                }
                else if (roll < 0.65)
                {
                    simulation.CorrectOne(random);
                }
                else
                {
                    simulation.View();
                }
            }
            simulation.View();
            simulation.Check();
        }
    }

    private static List<Submission> Submitted(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new Submission($"C{i}", Start.AddMinutes(i), i))];

    private static HashSet<string> Members(params string[] codes) => new(codes, StringComparer.Ordinal);

    /// <summary>A campaign played event by event, keeping every release and every view.</summary>
    private sealed class Simulation(int threshold, int codes)
    {
        private readonly string[] _codes = [.. Enumerable.Range(0, codes).Select(i => $"C{i:D2}")];
        private readonly Dictionary<string, Submission> _submitted = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _version = new(StringComparer.Ordinal);
        // Each release: its members with the version of their answers it froze, and the questionnaires it held back.
        private readonly List<(Dictionary<string, int> Members, IReadOnlyList<string> Joining, IReadOnlyList<string> HeldBack)> _releases = [];
        // Each view: the number of the release it showed (0: none yet).
        private readonly List<int> _views = [];
        private DateTime _now = Start;
        private long _sequence;

        public void SubmitOne(Random random)
        {
            var open = _codes.Where(c => !_submitted.ContainsKey(c)).ToList();
            if (open.Count == 0)
            {
                return;
            }
            var code = open[random.Next(open.Count)];
            // A first submission brings new answers; one after a reopen may bring none (submitted again unchanged).
            if (!_version.TryGetValue(code, out var version) || random.Next(2) == 0)
            {
                _version[code] = version + 1;
            }
            _now = _now.AddSeconds(random.Next(0, 3));
            _submitted[code] = new Submission(code, _now, ++_sequence);
        }

        public void ReopenOne(Random random)
        {
            if (_submitted.Count > 0)
            {
                _submitted.Remove(_submitted.Keys.ElementAt(random.Next(_submitted.Count)));
            }
        }

        public void CorrectOne(Random random)
        {
            if (_submitted.Count > 0)
            {
                var code = _submitted.Keys.ElementAt(random.Next(_submitted.Count));
                _version[code]++;
            }
        }

        public void View()
        {
            var latest = _releases.Count == 0 ? null : _releases[^1].Members;
            var plan = InterimReleases.Next(_submitted.Values, latest?.Keys.ToHashSet(StringComparer.Ordinal) ?? NoMembers, threshold);
            if (plan is not null)
            {
                var members = plan.Current.ToDictionary(code => code, code => _version[code], StringComparer.Ordinal);
                foreach (var code in plan.Kept)
                {
                    members.Add(code, latest![code]);
                }
                _releases.Add((members, plan.Joining, plan.HeldBack));
            }
            _views.Add(_releases.Count);
        }

        public void Check()
        {
            // (a) every pair of views, successive for a reader who looked only then.
            for (var a = 0; a < _views.Count; a++)
            {
                for (var b = a + 1; b < _views.Count; b++)
                {
                    if (_views[a] != _views[b] && _views[a] > 0)
                    {
                        var before = _releases[_views[a] - 1].Members.Keys;
                        var after = _releases[_views[b] - 1].Members.Keys;
                        Assert.True(after.Except(before).Count() >= threshold, $"Views {a} and {b} differ by fewer than {threshold} questionnaires.");
                    }
                }
            }
            // (b) newcomers, and nobody dropped.
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (members, joining, _) in _releases)
            {
                Assert.True(joining.Count >= threshold);
                Assert.DoesNotContain(joining, seen.Contains);
                Assert.Superset(seen, members.Keys.ToHashSet(StringComparer.Ordinal));
                seen = members.Keys.ToHashSet(StringComparer.Ordinal);
            }
            // (d) the final results against the last release.
            var final = _submitted.Keys.ToDictionary(code => code, code => _version[code], StringComparer.Ordinal);
            var finalCounts = true;
            if (_releases.Count > 0)
            {
                var heldBack = _releases[^1].HeldBack;
                var fresh = final.Keys.Count(code => !seen.Contains(code));
                if (heldBack.All(final.ContainsKey))
                {
                    Assert.True(fresh >= threshold, $"The final results hold {fresh} questionnaires of no release.");
                }
                else
                {
                    // The exception the documentation states: the final results may then differ by fewer than N.
                    finalCounts = fresh >= threshold;
                }
            }
            // (c) no version isolated by any combination of the views (the final results included when they count).
            var views = _releases.Select(r => r.Members).ToList();
            if (finalCounts)
            {
                views.Add(final);
            }
            var variables = views.SelectMany(v => v).Distinct().ToList();
            var index = variables.Select((v, i) => (v, i)).ToDictionary(x => x.v, x => x.i);
            var rows = views.Select(v => Indicator(variables.Count, v.Select(pair => index[pair]))).ToList();
            Assert.All(variables, v => Assert.False(ExactSpan.Contains(rows, Indicator(variables.Count, [index[v]])), $"{v.Key} v{v.Value} is isolated."));
            if (threshold >= 3)
            {
                foreach (var insider in _codes.Where(seen.Contains).Take(3))
                {
                    var known = rows.Concat(variables.Where(v => v.Key == insider).Select(v => Indicator(variables.Count, [index[v]]))).ToList();
                    Assert.All(variables.Where(v => v.Key != insider), v =>
                        Assert.False(ExactSpan.Contains(known, Indicator(variables.Count, [index[v]])), $"{insider} isolates {v.Key} v{v.Value}."));
                }
            }
        }

        private static BigInteger[] Indicator(int size, IEnumerable<int> ones)
        {
            var vector = new BigInteger[size];
            foreach (var i in ones)
            {
                vector[i] = BigInteger.One;
            }
            return vector;
        }
    }

    /// <summary>Whether a vector lies in the span of others, by exact fraction-free Gaussian elimination.</summary>
    private static class ExactSpan
    {
        public static bool Contains(IReadOnlyList<BigInteger[]> rows, BigInteger[] vector)
        {
            var basis = new List<(int Pivot, BigInteger[] Row)>();
            foreach (var row in rows)
            {
                var reduced = Reduce(basis, row);
                var pivot = Array.FindIndex(reduced, x => !x.IsZero);
                if (pivot >= 0)
                {
                    basis.Add((pivot, reduced));
                }
            }
            return Array.TrueForAll(Reduce(basis, vector), x => x.IsZero);
        }

        private static BigInteger[] Reduce(List<(int Pivot, BigInteger[] Row)> basis, BigInteger[] vector)
        {
            var v = (BigInteger[])vector.Clone();
            foreach (var (pivot, row) in basis)
            {
                if (!v[pivot].IsZero)
                {
                    // row[pivot]·v − v[pivot]·row: zero at the pivot, still integer.
                    var (a, b) = (row[pivot], v[pivot]);
                    for (var i = 0; i < v.Length; i++)
                    {
                        v[i] = (a * v[i]) - (b * row[i]);
                    }
                }
            }
            return v;
        }
    }
}
