using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Barometre.Durability;

/// <summary>What the writers knew when the server was killed: the last acknowledged sequence of every answer, and the writes in flight.</summary>
internal sealed record KillSnapshot(long[] Acknowledged, IReadOnlyList<(int Key, long Sequence)> InFlight);

/// <summary>What a read-back after a restart found.</summary>
/// <param name="Lost">Answers read back older than their last write acknowledged before the kill (or missing).</param>
/// <param name="Inconsistent">Answers read back that no writer sent: newer than the last attempt, or a level that does not go with the comment.</param>
/// <param name="Committed">Writes in flight at the kill read back as they were sent: they had committed (allowed).</param>
/// <param name="NotCommitted">Writes in flight at the kill read back older: they had not committed (allowed).</param>
/// <param name="Rewritten">Writes in flight at the kill whose answer its writer had written again before the read-back.</param>
/// <param name="Examples">The lost and inconsistent answers, described (the first 20).</param>
internal sealed record ReadBack(int Lost, int Inconsistent, int Committed, int NotCommitted, int Rewritten, IReadOnlyList<string> Examples);

/// <summary>
/// Writers that autosave answers as the questionnaire page does (PUT, no If-Match), each owning its own answers
/// so that it alone writes them, in increasing sequence: the sequence number is in the comment and the level is
/// the sequence modulo 5. A write whose response never came (the server died) may or may not have committed;
/// one acknowledged with 200 must be read back, or a later one. Since an answer's sequence only grows, this holds at
/// any time after the kill, while the writers carry on.
/// </summary>
internal sealed class Writers(IReadOnlyList<AnswerKey> keys)
{
    private const string CommentPrefix = "écriture ";

    /// <summary>A write in flight is its key shifted by this many bits, with its sequence below.</summary>
    private const int SequenceBits = 40;

    /// <summary>After a failed request (the server is down), a writer waits this long before its next write.</summary>
    private static readonly TimeSpan Backoff = TimeSpan.FromMilliseconds(25);

    private readonly long[] attempted = new long[keys.Count];
    private readonly long[] acknowledged = new long[keys.Count];
    private readonly ConcurrentDictionary<int, long> pending = new();
    private readonly ConcurrentDictionary<string, long> errors = new();
    private long requests;
    private long acknowledgements;

    public long Requests => Interlocked.Read(ref requests);

    public long Acknowledgements => Interlocked.Read(ref acknowledgements);

    /// <summary>Answers with at least one write acknowledged (once the writers have ended).</summary>
    public int AcknowledgedAnswers => acknowledged.Count(a => a > 0);

    /// <summary>Failed requests by kind (« connection refused », « HTTP 500 »…).</summary>
    public IReadOnlyDictionary<string, long> Errors => errors;

    /// <summary>Runs <paramref name="writers"/> writers until <paramref name="stop"/>; requests in flight then are awaited, not cancelled.</summary>
    public Task RunAsync(HttpClient http, int writers, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(() => WriteAsync(http, writer, [.. Enumerable.Range(0, keys.Count).Where(k => k % writers == writer)], stop), CancellationToken.None)));

    /// <summary>The writes waiting for their response: take them just before the kill, before the writers move on.</summary>
    public IReadOnlyList<(int Key, long Sequence)> InFlight()
    {
        // One entry per writer, key and sequence in one long, so that a writer moving on is never seen twice.
        return [.. pending.Values.Where(write => write > 0).Select(write => ((int)(write >> SequenceBits), write & ((1L << SequenceBits) - 1)))];
    }

    /// <summary>What the writers were told, taken once the server is dead (no acknowledgement can come after).</summary>
    public KillSnapshot Snapshot(IReadOnlyList<(int Key, long Sequence)> inFlight) =>
        new([.. acknowledged.Select((_, k) => Volatile.Read(ref acknowledged[k]))], inFlight);

    /// <summary>Reads every questionnaire back and compares each answer with what its writer was told before the kill.</summary>
    public async Task<ReadBack> ReadBackAsync(HttpClient http, KillSnapshot snapshot, CancellationToken cancellationToken)
    {
        var stored = await ReadAllAsync(http, cancellationToken);
        var examples = new List<string>();
        int lost = 0, inconsistent = 0;
        var sequences = new long?[keys.Count];
        for (var k = 0; k < keys.Count; k++)
        {
            var key = keys[k];
            var (comment, level) = stored.GetValueOrDefault((key.Token, key.QuestionId));
            var sequence = sequences[k] = comment is null ? 0
                : comment.StartsWith(CommentPrefix, StringComparison.Ordinal) && long.TryParse(comment.AsSpan(CommentPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed
                : null;
            // Read after the answer: the writer had attempted at least what the server holds.
            var lastAttempted = Volatile.Read(ref attempted[k]);
            var described = string.Create(CultureInfo.InvariantCulture,
                $"{key.Code} {key.QuestionId}: read « {comment ?? "(no answer)"} » level {level?.ToString(CultureInfo.InvariantCulture) ?? "null"}, last acknowledged before the kill {snapshot.Acknowledged[k]}, last attempted {lastAttempted}");
            if (sequence is not { } read || read > lastAttempted || (read > 0 && level != (int)(read % 5)))
            {
                inconsistent++;
                Note("INCONSISTENT " + described);
            }
            else if (read < snapshot.Acknowledged[k])
            {
                lost++;
                Note("LOST " + described);
            }
        }
        var committed = snapshot.InFlight.Count(write => sequences[write.Key] == write.Sequence);
        var rewritten = snapshot.InFlight.Count(write => sequences[write.Key] > write.Sequence);
        return new ReadBack(lost, inconsistent, committed, snapshot.InFlight.Count - committed - rewritten, rewritten, examples);

        void Note(string example)
        {
            if (examples.Count < 20)
            {
                examples.Add(example);
            }
        }
    }

    /// <summary>
    /// Checks the checker: writes <paramref name="count"/> acknowledged answers (spread over the campaign) back to the
    /// sequence before their last acknowledged one, as a server that lost their last write would show them; the
    /// read-back must then find exactly these lost. Returns how many were rewound (only answers acknowledged twice qualify).
    /// </summary>
    public async Task<int> RewindAsync(HttpClient http, int count, CancellationToken cancellationToken)
    {
        var candidates = Enumerable.Range(0, keys.Count).Where(k => acknowledged[k] >= 2).ToList();
        var step = Math.Max(1, candidates.Count / Math.Max(1, count));
        var chosen = candidates.Where((_, i) => i % step == 0).Take(count).ToList();
        foreach (var k in chosen)
        {
            using var response = await PutAsync(http, keys[k], acknowledged[k] - 1, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new SetupException($"rewinding {keys[k].Code} {keys[k].QuestionId} answered {(int)response.StatusCode}");
            }
        }
        return chosen.Count;
    }

    private async Task<Dictionary<(string Token, string Question), (string? Comment, int? Level)>> ReadAllAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<(string Token, string Question), (string? Comment, int? Level)>();
        foreach (var token in keys.Select(k => k.Token).Distinct())
        {
            using var document = await Campaign.GetQuestionnaireAsync(http, token, cancellationToken);
            foreach (var question in document.RootElement.GetProperty("themes").EnumerateArray().SelectMany(t => t.GetProperty("questions").EnumerateArray()))
            {
                var answer = question.GetProperty("answer");
                var level = answer.GetProperty("level");
                stored[(token, question.GetProperty("id").GetString()!)] = (answer.GetProperty("comment").GetString(), level.ValueKind == JsonValueKind.Number ? level.GetInt32() : null);
            }
        }
        return stored;
    }

    /// <summary>The write of sequence number <paramref name="sequence"/>: its comment, and its level (the sequence modulo 5).</summary>
    private static async Task<HttpResponseMessage> PutAsync(HttpClient http, AnswerKey key, long sequence, CancellationToken cancellationToken)
    {
        var body = $$"""{"level": {{sequence % 5}}, "status": null, "comment": "{{CommentPrefix}}{{sequence}}"}""";
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        return await http.PutAsync(new Uri($"/api/questionnaire/{key.Token}/answers/{key.QuestionId}", UriKind.Relative), content, cancellationToken);
    }

    private async Task WriteAsync(HttpClient http, int writer, int[] mine, CancellationToken stop)
    {
        if (mine.Length == 0)
        {
            return;
        }
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var k = mine[i % mine.Length];
            var sequence = attempted[k] + 1;
            Volatile.Write(ref attempted[k], sequence);
            pending[writer] = ((long)k << SequenceBits) | sequence;
            Interlocked.Increment(ref requests);
            string? error;
            try
            {
                using var response = await PutAsync(http, keys[k], sequence, CancellationToken.None);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Volatile.Write(ref acknowledged[k], sequence);
                    Interlocked.Increment(ref acknowledgements);
                    error = null;
                }
                else
                {
                    error = $"HTTP {(int)response.StatusCode}";
                }
            }
            catch (HttpRequestException e)
            {
                error = Kind(e);
            }
            catch (TaskCanceledException)
            {
                error = "timeout";
            }
            finally
            {
                pending[writer] = 0;
            }
            if (error is not null)
            {
                errors.AddOrUpdate(error, 1, (_, count) => count + 1);
                await Task.Delay(Backoff, CancellationToken.None);
            }
        }
    }

    private static string Kind(HttpRequestException exception)
    {
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused",
                    SocketError.ConnectionReset => "connection reset",
                    var code => $"socket error {code}",
                };
            }
        }
        return exception.HttpRequestError switch
        {
            HttpRequestError.ResponseEnded => "connection closed before the response",
            var kind => $"request error {kind}",
        };
    }
}
