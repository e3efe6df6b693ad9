using Barometre.Data.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace Barometre.Data.Campaigns;

/// <summary>
/// Writes one answer and its audit entry in one transaction — the one place answers change, for links
/// and operators alike. Inside that transaction it checks again that the questionnaire takes answers,
/// so that a save racing a submission or a closing cannot land after it, and compares versions, so
/// that a change based on an older version is refused rather than overwriting someone else's. A save through an
/// invitation link checks there too that the link is neither revoked nor expired.
/// </summary>
/// <remarks>
/// The saves waiting at a moment share one transaction (group commit, see <see cref="WriteQueue"/>). On SQLite
/// it takes the write lock first (Microsoft.Data.Sqlite begins IMMEDIATE transactions): writers are serialised
/// and nothing can slip between a save's check and its write. On PostgreSQL the check reads the participant and
/// campaign rows FOR SHARE: a submission or a closing (an UPDATE of those rows) waits for the saves in flight and
/// is seen by every save that starts after it. Two instances saving the same question still race on PostgreSQL:
/// the loser's conflicting write is detected (version token, unique index), its whole batch is rolled back, and its
/// saves are tried again one by one; the conflicting one after a short random wait. One save never fails the others:
/// a batch whose writes the database refuses is applied again save by save, each in its own transaction.
/// </remarks>
internal static class AnswerWriter
{
    private const int Attempts = 12;

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IDbContextOptions, WriteQueue> Queues = [];

    public static async Task<SaveOutcome> WriteAsync(
        BarometreDbContext db, int campaignId, int participantId, int? invitationId, string questionId, AnswerInput input, int? expectedVersion,
        Actor actor, DateTime now, Editor editor, CancellationToken cancellationToken)
    {
        var write = new PendingWrite(campaignId, participantId, invitationId, questionId, input, null, expectedVersion, actor, now, editor, cancellationToken);
        return await EnqueueAsync(db, write, cancellationToken);
    }

    /// <summary>
    /// Stores a collectivité's reply to the doubt about an answer's evidence, and its audit entry, through the same queue
    /// and checks as a save; the answer's version does not change.
    /// </summary>
    public static async Task<SaveOutcome> ReplyAsync(
        BarometreDbContext db, int campaignId, int participantId, int invitationId, string questionId, string reply, Actor actor, DateTime now,
        CancellationToken cancellationToken)
    {
        var write = new PendingWrite(campaignId, participantId, invitationId, questionId, null, reply, null, actor, now, Editor.Respondent, cancellationToken);
        return await EnqueueAsync(db, write, cancellationToken);
    }

    private static async Task<SaveOutcome> EnqueueAsync(BarometreDbContext db, PendingWrite write, CancellationToken cancellationToken)
    {
        // One queue per app's context options: the queue makes its contexts with them, and it goes with them.
        var queue = Queues.GetValue(db.GetService<IDbContextOptions>(), options => new WriteQueue(options));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await queue.WriteAsync(write);
            }
            catch (DbUpdateException e) when (attempt < Attempts && IsWriteConflict(e))
            {
                // Another instance saved the same question first (PostgreSQL): try again on what it left.
                await Task.Delay(Random.Shared.Next(2, 10 * attempt), cancellationToken);
            }
        }
    }

    /// <summary>
    /// One save, as the caller asked for it; through an invitation link, or by an operator (no invitation). Either an answer
    /// (<paramref name="Input"/>) or a reply to the doubt about its evidence (<paramref name="Reply"/>).
    /// </summary>
    private sealed record PendingWrite(
        int CampaignId, int ParticipantId, int? InvitationId, string QuestionId, AnswerInput? Input, string? Reply, int? ExpectedVersion, Actor Actor, DateTime Now,
        Editor Editor, CancellationToken CancellationToken);

    /// <summary>
    /// Group commit for one app's database. Saves wait in this queue, and one loop applies all those waiting in one
    /// transaction — each against what the previous ones left, with its own checks and outcome — commits once, then
    /// answers each: a save is acknowledged only after the commit that holds it. SQLite has one writer at a time and
    /// each commit costs an fsync (left to its busy handler, concurrent writers sleep and poll, up to 100 ms a try,
    /// and throughput collapses under load); PostgreSQL sees one transaction at a time per instance on the
    /// campaign's rows instead of dozens holding the same row locks.
    /// </summary>
    private sealed class WriteQueue
    {
        private const int MaxBatch = 256;

        private readonly System.Threading.Channels.Channel<(PendingWrite Write, TaskCompletionSource<SaveOutcome> Done)> _pending =
            System.Threading.Channels.Channel.CreateUnbounded<(PendingWrite, TaskCompletionSource<SaveOutcome>)>(new() { SingleReader = true });

        private readonly IDbContextOptions _options;

        public WriteQueue(IDbContextOptions options)
        {
            _options = options;
            _ = Task.Run(RunAsync);
        }

        public Task<SaveOutcome> WriteAsync(PendingWrite write)
        {
            var done = new TaskCompletionSource<SaveOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending.Writer.TryWrite((write, done));
            return done.Task;
        }

        private async Task RunAsync()
        {
            var live = new List<(PendingWrite Write, TaskCompletionSource<SaveOutcome> Done)>(MaxBatch);
            while (await _pending.Reader.WaitToReadAsync())
            {
                live.Clear();
                while (live.Count < MaxBatch && _pending.Reader.TryRead(out var item))
                {
                    if (item.Write.CancellationToken.IsCancellationRequested)
                    {
                        item.Done.TrySetCanceled(item.Write.CancellationToken);
                    }
                    else
                    {
                        live.Add(item);
                    }
                }
                if (live.Count == 0)
                {
                    // Every save taken was cancelled: no transaction, which on SQLite would take the write lock for nothing.
                    continue;
                }
                if (!await TryCommitAsync(live))
                {
                    // The database refused the batch's writes, maybe because of one save (a value or a constraint it
                    // refuses): each save is tried again alone, in its own transaction, so that only a save that fails by
                    // itself fails and the others are stored.
                    foreach (var item in live)
                    {
                        await TryCommitAsync([item]);
                    }
                }
            }
        }

        /// <summary>
        /// Applies saves in one transaction, commits, and answers each of them; false, answering none, when the database
        /// refused the writes of several saves (<see cref="DbUpdateException"/>), which the caller then tries one by one.
        /// A failure that is not the writes' (the database unreachable, for one) fails every save alike: none is at fault.
        /// </summary>
        private async Task<bool> TryCommitAsync(List<(PendingWrite Write, TaskCompletionSource<SaveOutcome> Done)> items)
        {
            if (items is [var single] && single.Write.CancellationToken.IsCancellationRequested)
            {
                single.Done.TrySetCanceled(single.Write.CancellationToken);
                return true;
            }
            List<SaveOutcome> outcomes;
            try
            {
                await using BarometreDbContext db = _options is DbContextOptions<SqliteBarometreContext> sqlite
                    ? new SqliteBarometreContext(sqlite)
                    : new PostgresBarometreContext((DbContextOptions<PostgresBarometreContext>)_options);
                await using var transaction = await db.Database.BeginTransactionAsync();
                outcomes = await ApplyAsync(db, [.. items.Select(item => item.Write)]);
                await transaction.CommitAsync();
            }
            catch (DbUpdateException) when (items.Count > 1)
            {
                return false;
            }
            catch (Exception e)
            {
                // Nothing of these saves is stored: each fails, none is acknowledged. A save the database refuses by
                // itself gets a clear outcome; a conflict goes back to WriteAsync, which tries it again.
                var refused = items.Count == 1 && e is DbUpdateException update && !IsWriteConflict(update) ? Refusal(update) : null;
                foreach (var (_, done) in items)
                {
                    if (refused is not null)
                    {
                        done.TrySetResult(refused);
                    }
                    else
                    {
                        done.TrySetException(e);
                    }
                }
                return true;
            }
            for (var i = 0; i < items.Count; i++)
            {
                items[i].Done.TrySetResult(outcomes[i]);
            }
            return true;
        }
    }

    /// <summary>
    /// Checks and applies saves in order inside the caller's transaction (not committed here): the guards and the
    /// stored answers of the whole batch are read in two queries, each save is checked against what the previous
    /// ones left, and every change is written by one SaveChanges. If that fails, nothing of the batch is written.
    /// </summary>
    private static async Task<List<SaveOutcome>> ApplyAsync(BarometreDbContext db, List<PendingWrite> writes)
    {
        var outcomes = new List<SaveOutcome>(writes.Count);
        int[] participants = [.. writes.Select(w => w.ParticipantId).Distinct()];
        string[] questions = [.. writes.Select(w => w.QuestionId).Distinct()];
        var guards = await GuardsAsync(db, participants);
        int[] invitationIds = [.. writes.Where(w => w.InvitationId is not null).Select(w => w.InvitationId!.Value).Distinct()];
        var invitations = invitationIds.Length == 0 ? []
            : await db.Invitations.AsNoTracking().Where(i => invitationIds.Contains(i.Id))
                .Select(i => new InvitationState(i.Id, i.RevokedAt, i.ExpiresAt)).ToDictionaryAsync(i => i.Id);
        var stored = (await db.Answers.Where(a => participants.Contains(a.ParticipantId) && questions.Contains(a.QuestionId)).ToListAsync())
            .ToDictionary(a => (a.ParticipantId, a.QuestionId));
        foreach (var write in writes)
        {
            var (campaignId, participantId, invitationId, questionId, input, reply, expectedVersion, actor, now, editor, _) = write;
            if (invitationId is { } invitation
                && !(invitations.TryGetValue(invitation, out var link) && link.RevokedAt is null && link.ExpiresAt > now && guards.ContainsKey(participantId)))
            {
                outcomes.Add(new SaveOutcome.UnknownLink());
                continue;
            }
            if (!guards.TryGetValue(participantId, out var guard))
            {
                // The collectivité is no longer in the panel: nothing to write to.
                outcomes.Add(new SaveOutcome.UnknownLink());
                continue;
            }
            if (EditRule.LockOf(editor, guard.Status, guard.SubmittedAt, guard.ReviewEndsAt, now) is { } editLock)
            {
                outcomes.Add(new SaveOutcome.Locked(editLock));
                continue;
            }
            stored.TryGetValue((participantId, questionId), out var answer);
            if (reply is not null)
            {
                outcomes.Add(ApplyReply(db, write, answer, reply));
                continue;
            }
            var current = answer is null ? AnswerState.Empty(questionId) : AnswerState.Of(answer);
            if (expectedVersion is { } expected && expected != current.Version)
            {
                outcomes.Add(new SaveOutcome.Conflict(current));
                continue;
            }
            var wanted = Normalise(questionId, input!, current);
            if (SameContent(current, wanted))
            {
                outcomes.Add(new SaveOutcome.Saved(current));
                continue;
            }
            if (answer is null)
            {
                answer = new Answer { ParticipantId = participantId, QuestionId = questionId };
                db.Answers.Add(answer);
                stored[(participantId, questionId)] = answer;
            }
            answer.Level = wanted.Level;
            answer.Mark = wanted.Mark;
            answer.Comment = wanted.Comment;
            answer.EvidenceUrl = wanted.EvidenceUrl;
            answer.EvidenceText = wanted.EvidenceText;
            // New evidence is examined afresh, but a doubt stands until the operator lifts it: the collectivité's change
            // of a doubted answer is its reply, which the operator then reads.
            if (answer.EvidenceReview == EvidenceReview.Questioned)
            {
                if (editor == Editor.Respondent)
                {
                    answer.EvidenceRepliedAt = now;
                }
            }
            else if (wanted.EvidenceUrl != current.EvidenceUrl || wanted.EvidenceText != current.EvidenceText)
            {
                answer.EvidenceReview = EvidenceReview.Pending;
            }
            answer.Version = current.Version + 1;
            answer.UpdatedAt = now;
            answer.UpdatedBy = actor.Name;
            var saved = AnswerState.Of(answer);
            db.AuditEntries.Add(new AuditEntry
            {
                At = now, CampaignId = campaignId, ParticipantId = participantId, Actor = actor.Name,
                Action = "answer", Subject = questionId, OldValue = current.Describe(), NewValue = saved.Describe(),
            });
            outcomes.Add(new SaveOutcome.Saved(saved));
        }
        await db.SaveChangesAsync();
        return outcomes;
    }

    /// <summary>Applies a reply to the doubt about an answer's evidence: stored with its time and audited, or refused when the evidence is not in doubt.</summary>
    private static SaveOutcome ApplyReply(BarometreDbContext db, PendingWrite write, Answer? answer, string reply)
    {
        if (answer is not { EvidenceReview: EvidenceReview.Questioned })
        {
            return new SaveOutcome.NotQuestioned();
        }
        if (answer.EvidenceReply != reply || answer.EvidenceRepliedAt is null)
        {
            db.AuditEntries.Add(AuditEntry.Of(write.Now, write.CampaignId, write.ParticipantId, write.Actor, "evidence.reply", write.QuestionId, answer.EvidenceReply, reply));
            answer.EvidenceReply = reply;
            answer.EvidenceRepliedAt = write.Now;
        }
        return new SaveOutcome.Saved(AnswerState.Of(answer));
    }

    /// <summary>The state that decides whether each participant's questionnaire takes answers, read within the transaction.</summary>
    private static async Task<Dictionary<int, GuardState>> GuardsAsync(BarometreDbContext db, int[] participants)
    {
        var rows = db.Database.IsNpgsql()
            ? await db.Database.SqlQuery<GuardState>(
                $"""
                SELECT p."Id", p."SubmittedAt", c."Status", c."ReviewEndsAt"
                FROM "Participants" p JOIN "Campaigns" c ON c."Id" = p."CampaignId"
                WHERE p."Id" = ANY({participants})
                FOR SHARE
                """).ToListAsync()
            : await db.Participants.Where(p => participants.Contains(p.Id))
                .Select(p => new GuardState(p.Id, p.SubmittedAt, p.Campaign!.Status, p.Campaign.ReviewEndsAt)).ToListAsync();
        return rows.ToDictionary(row => row.Id);
    }

    /// <summary>A conflicting concurrent write: a stale version, or the same first answer inserted twice.</summary>
    private static bool IsWriteConflict(DbUpdateException exception) =>
        exception is DbUpdateConcurrencyException
        || exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected }
        || exception.InnerException is SqliteException { SqliteExtendedErrorCode: 2067 /* SQLITE_CONSTRAINT_UNIQUE: the unique index */ }
        || exception.InnerException is SqliteException { SqliteErrorCode: 5 /* SQLITE_BUSY */ };

    /// <summary>
    /// The outcome of a save the database refused by itself — a value it cannot store (PostgreSQL's data exceptions,
    /// class 22) or a constraint (class 23; SQLite's constraints, too big, type mismatch) — or null for another failure.
    /// Validation should have caught it: the person gets a 400 and a message rather than a 500.
    /// </summary>
    private static SaveOutcome.Invalid? Refusal(DbUpdateException exception)
    {
        var code = exception.InnerException switch
        {
            PostgresException { SqlState: ['2', '2' or '3', ..] state } => state,
            SqliteException { SqliteErrorCode: 18 or 19 or 20 } sqlite => $"SQLite {sqlite.SqliteExtendedErrorCode.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            _ => null,
        };
        return code is null ? null : new SaveOutcome.Invalid(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["answer"] = $"La base de données a refusé cette réponse (code {code}) : rien n'a été enregistré. "
                + "Vérifiez les textes saisis ; si le problème persiste, signalez-le à l'organisateur du baromètre.",
        });
    }

    private sealed record GuardState(int Id, DateTime? SubmittedAt, CampaignStatus Status, DateTime? ReviewEndsAt);

    private sealed record InvitationState(int Id, DateTime? RevokedAt, DateTime ExpiresAt);

    private static AnswerState Normalise(string questionId, AnswerInput input, AnswerState current) => new(
        questionId,
        input.Level,
        input.Mark ?? AnswerMark.None,
        EmptyToNull(input.Comment),
        EmptyToNull(input.EvidenceUrl),
        EmptyToNull(input.EvidenceText),
        current.Version,
        current.UpdatedAt,
        current.UpdatedBy);

    private static bool SameContent(AnswerState a, AnswerState b) =>
        a.Level == b.Level && a.Mark == b.Mark && a.Comment == b.Comment && a.EvidenceUrl == b.EvidenceUrl && a.EvidenceText == b.EvidenceText;

    private static string? EmptyToNull(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
