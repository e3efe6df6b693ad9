using System.Collections.Concurrent;
using System.Data;
using System.Text;
using Barometre.Core.Publication;
using Barometre.Core.Responses;
using Barometre.Data.Import;
using Barometre.Data.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Barometre.Data.Campaigns;

/// <summary>An interim release as readers see it, without its answers.</summary>
/// <param name="Number">1 for the campaign's first release, then 2, 3…</param>
/// <param name="CreatedAt">When it was made (UTC).</param>
/// <param name="Respondents">How many questionnaires it holds.</param>
public sealed record ReleaseInfo(int Number, DateTime CreatedAt, int Respondents);

/// <summary>
/// The interim releases of campaigns that collect answers: the panels the collectivités' benchmarks are computed
/// against, made lazily when a benchmark is read and <see cref="InterimReleases"/> calls for a new one. Several
/// instances on one database agree: a release's number is unique in its campaign, so of two instances making the
/// same release one inserts nothing and shows the other's. The answers of a release are deleted once
/// two newer ones exist (its number, date and size remain): nobody reads them any more, and a national panel's
/// copies would otherwise add up to gigabytes.
/// </summary>
public sealed class BenchmarkReleases(IServiceScopeFactory scopes, TimeProvider clock)
{
    // The latest release of each campaign seen by this instance, decoded: its members decide the next release,
    // and its reopened members' answers go into it.
    private readonly ConcurrentDictionary<int, (int Number, ResponseSet Responses)> _latest = new();

    // Per campaign, the submissions last found not to call for a release (see IsDueAsync).
    private readonly ConcurrentDictionary<int, (SubmissionState State, DateTimeOffset Until)> _notDue = new();

    private static readonly TimeSpan NotDueFor = TimeSpan.FromMinutes(1);

    // One release being made per campaign in this instance: readers arriving meanwhile wait and take it.
    private readonly ConcurrentDictionary<int, SemaphoreSlim> _making = new();

    /// <summary>The release the campaign's benchmarks use now, made first if the rule calls for a new one; null before the first.</summary>
    /// <param name="campaignId">A campaign collecting answers.</param>
    /// <param name="threshold">The campaign's secrecy threshold N.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    public async Task<ReleaseInfo?> CurrentAsync(int campaignId, int threshold, CancellationToken cancellationToken = default)
    {
        var latest = await LatestAsync(campaignId, cancellationToken);
        if (!await IsDueAsync(campaignId, latest, threshold, cancellationToken))
        {
            return latest;
        }
        var making = _making.GetOrAdd(campaignId, _ => new SemaphoreSlim(1, 1));
        await making.WaitAsync(cancellationToken);
        try
        {
            // Another reader of this instance, or another instance, may have made it meanwhile.
            latest = await LatestAsync(campaignId, cancellationToken);
            return await MakeAsync(campaignId, latest, threshold, cancellationToken) ?? latest;
        }
        finally
        {
            making.Release();
        }
    }

    /// <summary>The answers a release froze, in panel order; null when they were deleted (two newer releases exist).</summary>
    public async Task<ResponseSet?> ResponsesAsync(int campaignId, int number, CancellationToken cancellationToken = default)
    {
        if (_latest.TryGetValue(campaignId, out var cached) && cached.Number == number)
        {
            return cached.Responses;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BarometreDbContext>();
        var csv = await db.BenchmarkReleases.AsNoTracking().Where(r => r.CampaignId == campaignId && r.Number == number)
            .Select(r => r.ResponsesCsv).SingleOrDefaultAsync(cancellationToken);
        if (string.IsNullOrEmpty(csv))
        {
            return null;
        }
        var model = await scope.ServiceProvider.GetRequiredService<CampaignQueries>().ModelAsync(campaignId, cancellationToken);
        var responses = ResponsesCsv.Read(new MemoryStream(Encoding.UTF8.GetBytes(csv)), $"publication intermédiaire {number}", model).GetValueOrThrow();
        Remember(campaignId, number, responses);
        return responses;
    }

    private async Task<ReleaseInfo?> LatestAsync(int campaignId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BarometreDbContext>();
        return await db.BenchmarkReleases.AsNoTracking().Where(r => r.CampaignId == campaignId).OrderByDescending(r => r.Number)
            .Select(r => new ReleaseInfo(r.Number, r.CreatedAt, r.Respondents)).FirstOrDefaultAsync(cancellationToken);
    }

    private async Task<bool> IsDueAsync(int campaignId, ReleaseInfo? latest, int threshold, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BarometreDbContext>();
        // One row summing up who is submitted: most reads find it as it was when no release was due, and need
        // not list a national panel's submissions again.
        var summary = await db.Participants.AsNoTracking().Where(p => p.CampaignId == campaignId && p.SubmittedAt != null)
            .GroupBy(p => p.CampaignId).Select(g => new { Count = g.Count(), Ids = g.Sum(p => (long)p.Id), Latest = g.Max(p => p.SubmittedAt) })
            .SingleOrDefaultAsync(cancellationToken);
        // N fresh ready and N held back need 2N submitted at least.
        if (summary is null || summary.Count < InterimReleases.FirstReleaseAt(threshold))
        {
            return false;
        }
        var state = new SubmissionState(latest?.Number ?? 0, threshold, summary.Count, summary.Ids, summary.Latest);
        var now = clock.GetUtcNow();
        if (_notDue.TryGetValue(campaignId, out var known) && known.State == state && known.Until > now)
        {
            return false;
        }
        var due = InterimReleases.Next(await SubmissionsAsync(db, campaignId, cancellationToken), await MembersAsync(campaignId, latest, cancellationToken), threshold) is not null;
        if (due)
        {
            _notDue.TryRemove(campaignId, out _);
        }
        else
        {
            // Bounded in time: two reopens and two submissions between reads could leave the summary unchanged.
            // A stale « not due » only delays a release; it never shows anything the rule forbids.
            _notDue[campaignId] = (state, now + NotDueFor);
        }
        return due;
    }

    /// <summary>Makes the next release if it is still due; returns it (or the one another instance made), else null.</summary>
    private async Task<ReleaseInfo?> MakeAsync(int campaignId, ReleaseInfo? latest, int threshold, CancellationToken cancellationToken)
    {
        var members = await MembersAsync(campaignId, latest, cancellationToken);
        var previous = latest is null ? null : await ResponsesAsync(campaignId, latest.Number, cancellationToken);
        if (latest is not null && previous is null)
        {
            // Deleted under us: two releases were made elsewhere since we looked. The next reader starts again.
            return null;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BarometreDbContext>();
        var queries = scope.ServiceProvider.GetRequiredService<CampaignQueries>();
        ResponseSet release;
        await using (var snapshot = await Snapshot.BeginAsync(db, cancellationToken))
        {
            // The submissions and the answers from one snapshot: a questionnaire reopened in between cannot be
            // chosen from the first read and missing from the second.
            var submitted = await SubmissionsAsync(db, campaignId, cancellationToken);
            if (InterimReleases.Next(submitted, members, threshold) is not { } plan)
            {
                return null;
            }
            var answers = await queries.ResponsesAsync(campaignId, submittedOnly: true, cancellationToken);
            var kept = plan.Kept.ToHashSet(StringComparer.Ordinal);
            // Kept members are not submitted: their place in panel order is looked up among all participants.
            var places = submitted.ToDictionary(s => s.Code, s => s.Sequence, StringComparer.Ordinal);
            foreach (var place in await db.Participants.AsNoTracking().Where(p => p.CampaignId == campaignId && kept.Contains(p.Code))
                .Select(p => new { p.Code, p.Id }).ToListAsync(cancellationToken))
            {
                places[place.Code] = place.Id;
            }
            release = Assemble(answers, plan.Current, previous, kept, places);
            await snapshot.CommitAsync(cancellationToken);
        }
        using var csv = new MemoryStream();
        ResponsesCsv.Write(release, csv);
        var number = (latest?.Number ?? 0) + 1;
        // Whole microseconds, as PostgreSQL keeps them: this instance shows the date every other one reads back.
        var now = clock.GetUtcNow().UtcDateTime;
        var createdAt = now.AddTicks(-(now.Ticks % 10));
        var text = Encoding.UTF8.GetString(csv.ToArray());
        // The unique (campaign, number) decides between instances making the same release: the loser inserts
        // nothing, without an error, and shows the winner's.
        var inserted = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "BenchmarkReleases" ("CampaignId", "Number", "CreatedAt", "Respondents", "ResponsesCsv")
            VALUES ({campaignId}, {number}, {createdAt}, {release.Count}, {text})
            ON CONFLICT ("CampaignId", "Number") DO NOTHING
            """, cancellationToken);
        if (inserted == 0)
        {
            return await LatestAsync(campaignId, cancellationToken);
        }
        Remember(campaignId, number, release);
        await db.BenchmarkReleases.Where(r => r.CampaignId == campaignId && r.Number < number - 1 && r.ResponsesCsv != "")
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.ResponsesCsv, ""), cancellationToken);
        return new ReleaseInfo(number, createdAt, release.Count);
    }

    /// <summary>
    /// The release's answers: the current rows of <paramref name="current"/>, the rows <paramref name="previous"/> froze
    /// for <paramref name="kept"/>, in panel order (by participant id, as the closing snapshot has them).
    /// </summary>
    private static ResponseSet Assemble(ResponseSet now, IReadOnlyList<string> current, ResponseSet? previous, HashSet<string> kept, Dictionary<string, long> places)
    {
        var taken = current.ToHashSet(StringComparer.Ordinal);
        var rows = Enumerable.Range(0, now.Count).Where(r => taken.Contains(now.Respondents[r].Code)).Select(r => (Set: now, Row: r))
            .Concat(previous is null ? [] : Enumerable.Range(0, previous.Count).Where(r => kept.Contains(previous.Respondents[r].Code)).Select(r => (Set: previous, Row: r)))
            .OrderBy(row => places.GetValueOrDefault(row.Set.Respondents[row.Row].Code, long.MaxValue))
            .ToList();
        var width = now.Model.Questions.Count;
        var cells = new sbyte[rows.Count * width];
        for (var i = 0; i < rows.Count; i++)
        {
            rows[i].Set.Row(rows[i].Row).CopyTo(cells.AsSpan(i * width, width));
        }
        return new ResponseSet(now.Model, rows.Select(row => row.Set.Respondents[row.Row]), cells);
    }

    private async Task<IReadOnlySet<string>> MembersAsync(int campaignId, ReleaseInfo? latest, CancellationToken cancellationToken)
    {
        if (latest is null)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }
        var responses = await ResponsesAsync(campaignId, latest.Number, cancellationToken);
        // A release whose answers were deleted has two newer ones: whoever reads it is about to see the newest.
        return (responses?.Respondents ?? []).Select(r => r.Code).ToHashSet(StringComparer.Ordinal);
    }

    private static Task<List<Submission>> SubmissionsAsync(BarometreDbContext db, int campaignId, CancellationToken cancellationToken) =>
        db.Participants.AsNoTracking().Where(p => p.CampaignId == campaignId && p.SubmittedAt != null)
            .Select(p => new Submission(p.Code, p.SubmittedAt!.Value, p.Id)).ToListAsync(cancellationToken);

    private void Remember(int campaignId, int number, ResponseSet responses) =>
        _latest.AddOrUpdate(campaignId, (number, responses), (_, known) => known.Number > number ? known : (number, responses));

    /// <summary>The latest release, the threshold, and how many questionnaires are submitted, the sum of their ids, the latest submission.</summary>
    private sealed record SubmissionState(int Release, int Threshold, int Count, long Ids, DateTime? Latest);

    /// <summary>
    /// A read-only transaction that sees one snapshot of the database. On SQLite it is deferred: it takes no write
    /// lock, so answers keep being saved while a large panel is read.
    /// </summary>
    private sealed class Snapshot(BarometreDbContext db, IDbContextTransaction transaction, SqliteTransaction? sqlite) : IAsyncDisposable
    {
        public static async Task<Snapshot> BeginAsync(BarometreDbContext db, CancellationToken cancellationToken)
        {
            if (db.Database.IsNpgsql())
            {
                return new Snapshot(db, await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken), null);
            }
            await db.Database.OpenConnectionAsync(cancellationToken);
            var sqlite = ((SqliteConnection)db.Database.GetDbConnection()).BeginTransaction(deferred: true);
            return new Snapshot(db, (await db.Database.UseTransactionAsync(sqlite, cancellationToken))!, sqlite);
        }

        public Task CommitAsync(CancellationToken cancellationToken) => transaction.CommitAsync(cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            // EF does not own a transaction it was given: this one (rolled back unless committed) and its connection are ours.
            if (sqlite is not null)
            {
                await sqlite.DisposeAsync();
                await db.Database.CloseConnectionAsync();
            }
        }
    }
}
