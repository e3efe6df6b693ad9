namespace Barometre.Core.Publication;

/// <summary>A submitted questionnaire, as the interim-release rule sees it.</summary>
/// <param name="Code">The collectivité's code, unique in the campaign.</param>
/// <param name="SubmittedAt">When it was last submitted (a questionnaire reopened and submitted again counts from then).</param>
/// <param name="Sequence">Orders questionnaires submitted at the same instant (their id in the database).</param>
public readonly record struct Submission(string Code, DateTime SubmittedAt, long Sequence);

/// <summary>What the next interim release holds (<see cref="InterimReleases.Next"/>).</summary>
/// <param name="Joining">
/// The questionnaires that join the interim panel now, in submission order: in no earlier release, at least N of them.
/// </param>
/// <param name="Current">
/// The questionnaires whose answers the release takes as they are now, in submission order: the members of the
/// latest release still submitted (with their corrections, if any) and <paramref name="Joining"/>.
/// </param>
/// <param name="Kept">
/// The members of the latest release whose questionnaire is no longer submitted (reopened by the operator), in
/// ordinal order: they stay in the panel with the answers the latest release froze.
/// </param>
/// <param name="HeldBack">The N most recently submitted questionnaires of no release, in submission order: they wait for a later one.</param>
public sealed record InterimReleasePlan(
    IReadOnlyList<string> Joining,
    IReadOnlyList<string> Current,
    IReadOnlyList<string> Kept,
    IReadOnlyList<string> HeldBack)
{
    /// <summary>How many questionnaires the release holds.</summary>
    public int Respondents => Current.Count + Kept.Count;
}

/// <summary>
/// Statistical secrecy across time: while a campaign collects answers, the collectivités' benchmarks are computed
/// against an interim release of the panel, never against the questionnaires submitted at the moment, so that two
/// views a moment apart cannot isolate the collectivité that submitted in between (docs/security.md, « Statistical
/// secrecy over time »).
/// </summary>
/// <remarks>
/// <para>The rule, for a threshold N. A questionnaire is <em>fresh</em> when no release holds it yet. The N fresh
/// questionnaires submitted most recently (by submission time, then <see cref="Submission.Sequence"/>) are held
/// back. A new release is made when at least N fresh questionnaires are not held back: they join the panel, which
/// keeps every member of the latest release — with its answers as they are now when it is still submitted, with
/// the answers the latest release froze when it was reopened. Membership only grows, so the latest release holds
/// every questionnaire that any release ever held.</para>
/// <para>Why it holds: each release brings at least N questionnaires that no earlier release held, so any
/// combination of the sums (or means) of any number of releases that does not cancel out involves the at least N
/// newcomers of the last release it uses, all with the same weight: no single questionnaire, and no group of fewer
/// than N, can be isolated, however many views an attacker collects. In particular two views show the same release
/// or releases that differ by at least N questionnaires. The final results at closing also hold at least N
/// questionnaires that no release held (the ones held back), unless the operator reopened some of them and they
/// were not submitted again.</para>
/// <para>What it costs: the first release comes at 2N submitted questionnaires, and a release lags N
/// questionnaires behind the submissions; a correction to a member's answers shows only with the next release.</para>
/// </remarks>
public static class InterimReleases
{
    /// <summary>How many submitted questionnaires the first release needs: N that join it and N held back.</summary>
    public static int FirstReleaseAt(int threshold)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        return 2 * threshold;
    }

    /// <summary>The next release, or null when the latest one stands (fewer than N fresh questionnaires are ready).</summary>
    /// <param name="submitted">The questionnaires submitted now, in any order (each code once).</param>
    /// <param name="members">The codes of the latest release's members; empty before the first release.</param>
    /// <param name="threshold">The secrecy threshold N (at least 1).</param>
    /// <exception cref="ArgumentException">A code is submitted twice.</exception>
    public static InterimReleasePlan? Next(IEnumerable<Submission> submitted, IReadOnlySet<string> members, int threshold)
    {
        ArgumentNullException.ThrowIfNull(submitted);
        ArgumentNullException.ThrowIfNull(members);
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        var ordered = submitted.OrderBy(s => s.SubmittedAt).ThenBy(s => s.Sequence).ToList();
        var codes = new HashSet<string>(ordered.Count, StringComparer.Ordinal);
        foreach (var submission in ordered)
        {
            ArgumentNullException.ThrowIfNull(submission.Code, nameof(submitted));
            if (!codes.Add(submission.Code))
            {
                throw new ArgumentException($"The questionnaire {submission.Code} is submitted twice.", nameof(submitted));
            }
        }
        var fresh = ordered.Where(s => !members.Contains(s.Code)).Select(s => s.Code).ToList();
        var ready = fresh.Count - threshold;
        if (ready < threshold)
        {
            return null;
        }
        var joining = fresh[..ready];
        var heldBack = fresh[ready..];
        var held = heldBack.ToHashSet(StringComparer.Ordinal);
        var current = ordered.Select(s => s.Code).Where(code => !held.Contains(code)).ToList();
        var kept = members.Where(code => !codes.Contains(code)).Order(StringComparer.Ordinal).ToList();
        return new InterimReleasePlan(joining, current, kept, heldBack);
    }
}
