using System.Diagnostics;
using System.Globalization;
using Barometre.Durability;

// The durability run of the reliability suite (docs/security.md): writers autosave through the real HTTP API of a
// real `barometre serve`, which is killed with SIGKILL and restarted on the same data; after each restart, every
// answer acknowledged with 200 before the kill must read back with that value or a later one.
// bench/durability.sh runs it on SQLite and PostgreSQL.
DurabilityOptions options;
try
{
    options = DurabilityOptions.Parse(args);
}
catch (UsageException e)
{
    Console.Error.WriteLine($"Barometre.Durability: {e.Message}\n\n{DurabilityOptions.Usage}");
    return 2;
}

Directory.CreateDirectory(options.Work);
using var barometre = new ServerProcess(options);
// Ctrl+C or SIGTERM: the server must not outlive the run.
AppDomain.CurrentDomain.ProcessExit += (_, _) => barometre.Kill();
Console.CancelKeyPress += (_, _) => barometre.Kill();

// A long timeout: a write the client gave up on could still commit after the writer's next one, which would look lost.
using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) })
{
    BaseAddress = barometre.Root,
    Timeout = TimeSpan.FromSeconds(60),
};
var invariant = CultureInfo.InvariantCulture;
try
{
    var links = await Campaign.SeedAsync(barometre, options, CancellationToken.None);
    await barometre.StartAsync(CancellationToken.None);
    var keys = await Campaign.KeysAsync(http, links, CancellationToken.None);
    Console.WriteLine(string.Create(invariant,
        $"== {options.Label}: {options.Writers} writers, {links.Count} collectivités × {keys.Count / links.Count} questions ({keys.Count} answers), {options.Duration.TotalSeconds:0} s, {options.Kills} kill(s) during the writes"));

    var writers = new Writers(keys);
    var checks = new List<ReadBack>();
    using var stop = new CancellationTokenSource();
    var clock = Stopwatch.StartNew();
    var writing = writers.RunAsync(http, options.Writers, stop.Token);

    // Kills spread evenly over the run; the next one waits until the server is back and has been read.
    for (var kill = 1; kill <= options.Kills; kill++)
    {
        var at = options.Duration * kill / (options.Kills + 1);
        if (at > clock.Elapsed)
        {
            await Task.Delay(at - clock.Elapsed);
        }
        checks.Add(await KillRestartAndReadAsync($"kill {kill}", rewind: 0));
    }
    if (options.Duration > clock.Elapsed)
    {
        await Task.Delay(options.Duration - clock.Elapsed);
    }
    await stop.CancelAsync();
    await writing;
    // One more kill once every response has come: every answer's last acknowledged write is then checked.
    checks.Add(await KillRestartAndReadAsync("final kill", options.Rewind));
    barometre.Kill();

    var lost = checks.Sum(c => c.Lost);
    var inconsistent = checks.Sum(c => c.Inconsistent);
    var errorCount = writers.Errors.Values.Sum();
    Console.WriteLine(string.Create(invariant, $"requests       {writers.Requests}"));
    Console.WriteLine(string.Create(invariant, $"acknowledged   {writers.Acknowledgements} (200), {writers.AcknowledgedAnswers} of the {keys.Count} answers at least once"));
    Console.WriteLine(string.Create(invariant, $"lost           {lost}"));
    Console.WriteLine(string.Create(invariant, $"inconsistent   {inconsistent}"));
    Console.WriteLine(string.Create(invariant,
        $"errors         {errorCount}{(errorCount == 0 ? "" : ": " + string.Join(", ", writers.Errors.OrderByDescending(e => e.Value).Select(e => $"{e.Key} {e.Value}")))}"));
    foreach (var example in checks.SelectMany(c => c.Examples).Take(20))
    {
        Console.WriteLine(example);
    }
    if (options.Rewind > 0)
    {
        var found = checks[^1].Lost;
        Console.WriteLine(string.Create(invariant,
            $"checker check  {options.Rewind} acknowledged answer(s) to rewind to an older value before the last read-back: {found} found lost{(found == options.Rewind ? ", as they must be" : " — the checker is WRONG")}"));
        return lost == options.Rewind && checks[^1].Lost == options.Rewind && inconsistent == 0 ? 0 : 1;
    }
    return lost == 0 && inconsistent == 0 ? 0 : 1;

    async Task<ReadBack> KillRestartAndReadAsync(string name, int rewind)
    {
        var inFlight = writers.InFlight();
        var killedAt = clock.Elapsed;
        barometre.Kill();
        var snapshot = writers.Snapshot(inFlight);
        var down = Stopwatch.StartNew();
        await barometre.StartAsync(CancellationToken.None);
        var serving = down.Elapsed;
        if (rewind > 0 && await writers.RewindAsync(http, rewind, CancellationToken.None) < rewind)
        {
            throw new SetupException($"fewer than {rewind} answers were acknowledged twice: nothing to rewind");
        }
        var check = await writers.ReadBackAsync(http, snapshot, CancellationToken.None);
        Console.WriteLine(string.Create(invariant,
            $"{name,-10} at {killedAt.TotalSeconds,5:0.0} s: {snapshot.Acknowledged.Count(a => a > 0)} answers acknowledged, {inFlight.Count} writes in flight; serving again after {serving.TotalSeconds:0.00} s; read back: {check.Lost} lost, {check.Inconsistent} inconsistent; of the writes in flight {check.Committed} had committed, {check.NotCommitted} had not{(check.Rewritten > 0 ? $", {check.Rewritten} written again since" : "")}"));
        return check;
    }
}
catch (SetupException e)
{
    Console.Error.WriteLine($"Barometre.Durability ({options.Label}): {e.Message}");
    return 3;
}
