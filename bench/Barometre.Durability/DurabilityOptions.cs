using System.Globalization;

namespace Barometre.Durability;

/// <summary>A command line this program cannot run.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>The run's settings, from the command line (bench/durability.sh passes them).</summary>
internal sealed record DurabilityOptions(
    string Barometre, string Work, string? Database, string Label, TimeSpan Duration, int Kills, int Writers, int Collectivites, int Rewind)
{
    public const string Usage = """
        dotnet run -c Release --project bench/Barometre.Durability -- --barometre PATH --work DIR
            [--database CONNECTION] [--label NAME] [--duration 30s] [--kills 2] [--writers 64] [--collectivites 32] [--rewind 0]

        Seeds a campaign with the published CLI at PATH (data in DIR/data, or the PostgreSQL database of
        CONNECTION), runs `barometre serve` on a free loopback port, has the writers autosave answers for the
        duration while the server is killed (SIGKILL) and restarted --kills times, kills it once more, and reads
        every answer back. Exit code 0 when no acknowledged answer is lost, 1 otherwise, 2 for a bad command
        line, 3 when the campaign or the server could not be set up.

        --rewind N checks the checker: before the read-back it writes N acknowledged answers back to an older
        value through the API, and the run succeeds only if the read-back finds exactly those N lost.
        """;

    public static DurabilityOptions Parse(IReadOnlyList<string> args)
    {
        string? barometre = null, work = null, database = null, label = null;
        var duration = TimeSpan.FromSeconds(30);
        int kills = 2, writers = 64, collectivites = 32, rewind = 0;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new UsageException($"{name} needs a value.");
            switch (name)
            {
                case "--barometre": barometre = Value(); break;
                case "--work": work = Value(); break;
                case "--database": database = Value(); break;
                case "--label": label = Value(); break;
                case "--duration": duration = ParseDuration(Value()); break;
                case "--kills": kills = ParseCount(name, Value(), 0); break;
                case "--writers": writers = ParseCount(name, Value(), 1); break;
                case "--collectivites": collectivites = ParseCount(name, Value(), 1); break;
                case "--rewind": rewind = ParseCount(name, Value(), 0); break;
                default: throw new UsageException($"unknown option {name}.");
            }
        }
        if (barometre is null || work is null)
        {
            throw new UsageException("--barometre and --work are required.");
        }
        return new DurabilityOptions(Path.GetFullPath(barometre), Path.GetFullPath(work), string.IsNullOrEmpty(database) ? null : database,
            label ?? (database is null ? "sqlite" : "postgres"), duration, kills, writers, collectivites, rewind);
    }

    /// <summary>« 30s », « 2m » or a number of seconds, as wrk and the other bench scripts take them.</summary>
    private static TimeSpan ParseDuration(string text)
    {
        var (number, unit) = text.EndsWith('m') ? (text[..^1], 60) : text.EndsWith('s') ? (text[..^1], 1) : (text, 1);
        return int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? TimeSpan.FromSeconds(value * unit)
            : throw new UsageException($"--duration {text}: expected seconds (30s) or minutes (2m).");
    }

    private static int ParseCount(string name, string text, int minimum) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum
            ? value
            : throw new UsageException($"{name} {text}: expected a whole number of at least {minimum}.");
}
