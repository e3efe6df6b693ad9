using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Barometre.Data.Import;
using Barometre.Data.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Barometre.Cli.Tests;

/// <summary>
/// <c>barometre backup</c> while the server writes answers, <c>barometre restore</c> into a fresh folder and over a
/// stopped server's folder, and every file restore refuses. SQLite: PostgreSQL gets its own tools' commands.
/// </summary>
public sealed class BackupCommandTest : IAsyncLifetime
{
    private const string Model = "maturite-numerique-2019";
    private static readonly IReadOnlyList<string> Questions = [.. ShippedModels.Load(Model).Questions.Select(q => q.Id)];

    private CliStore _store = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _store = await CliStore.CreateAsync(postgres: false);

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    private Task<CliRun> RunAsync(params string[] args) => Cli.RunAsync([.. args, "--data", _store.DataDirectory]);

    private static async Task<CliRun> SucceedsAsync(Task<CliRun> running)
    {
        var run = await running;
        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}: {run.Error}");
        return run;
    }

    /// <summary>An open campaign whose links the test writes through, and a closed one with frozen results; returns the open one's tokens.</summary>
    private async Task<IReadOnlyList<string>> SeedAsync(int writers)
    {
        var open = (await SucceedsAsync(RunAsync("campaign", "create", "--model", Model, "--name", "Baromètre en cours", "--panel", _store.File("ouverte.csv", Panel("OUV", writers))))).Out.Trim();
        var closed = (await SucceedsAsync(RunAsync("campaign", "create", "--model", Model, "--name", "Baromètre clos", "--panel", _store.File("close.csv", Panel("CLO", 5))))).Out.Trim();
        var answers = "code;nom;" + string.Join(';', Questions) + "\n" + string.Concat(Enumerable.Range(1, 5).Select(n =>
            $"CLO{n};Collectivité {n};{string.Join(';', Questions.Select((_, i) => ((n + i) % 5).ToString(CultureInfo.InvariantCulture)))}\n"));
        await SucceedsAsync(RunAsync("campaign", "import-answers", "-c", closed, "--responses", _store.File("reponses.csv", answers), "--submit"));
        await SucceedsAsync(RunAsync("campaign", "close", "-c", closed));
        await SucceedsAsync(Cli.RunAsync(["apikey", "add", "rédaction", "--data", _store.DataDirectory]));
        var links = _store.File("liens.csv");
        await SucceedsAsync(RunAsync("campaign", "invitations", "-c", open, "--base-url", "https://barometre.exemple.fr", "--out", links));
        return [.. File.ReadAllLines(links).Skip(1).Select(line => line[(line.LastIndexOf('/') + 1)..])];
    }

    private static string Panel(string prefix, int count) =>
        "code;nom;type;population;region;email\n"
        + string.Concat(Enumerable.Range(1, count).Select(n => $"{prefix}{n};Collectivité {n};commune;{1000 + n};Bretagne;c{n}@exemple.fr\n"));

    [Fact]
    public async Task Backup_WhileTheServerWritesAnswers_RestoresEveryTableAsItStoodAtOneInstant()
    {
        const int writers = 4;
        var tokens = await SeedAsync(writers);
        var backup = _store.File("sauvegarde.db");
        var fresh = Path.Combine(_store.DataDirectory, "restauree");
        var logs = Enumerable.Range(0, writers).Select(_ => new ConcurrentQueue<Write>()).ToArray();
        using var stop = new CancellationTokenSource();
        int[] before, after;
        await using (var server = await _store.ServerAsync())
        {
            await server.StartAsync(Ct);
            using var http = new HttpClient { BaseAddress = new Uri(server.Urls.Single()) };
            var writing = Enumerable.Range(0, writers).Select(w => WriteUntilStoppedAsync(http, w, tokens[w], logs[w], stop.Token)).ToArray();
            await WaitForAsync(() => logs.All(log => log.Count >= 10));

            before = [.. logs.Select(log => log.Count)];
            var run = await SucceedsAsync(Cli.RunAsync(["backup", "--data", _store.DataDirectory, "--out", backup]));
            after = [.. logs.Select(log => log.Count)];

            await WaitForAsync(() => logs.Select((log, w) => log.Count >= after[w] + 10).All(done => done));
            await stop.CancelAsync();
            await Task.WhenAll(writing);
            Assert.StartsWith($"Sauvegarde de {Path.Combine(_store.DataDirectory, "barometre.db")} écrite dans {backup} (", run.Out, StringComparison.Ordinal);
        }

        var restore = await SucceedsAsync(Cli.RunAsync(["restore", "--data", fresh, "--from", backup]));

        Assert.Equal($"Base restaurée depuis {backup} dans {Path.Combine(fresh, "barometre.db")}.", restore.Out.Trim());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(backup));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(fresh, "barometre.db")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(fresh));
        }
        var source = Tables(Path.Combine(_store.DataDirectory, "barometre.db"));
        var restored = Tables(Path.Combine(fresh, "barometre.db"));
        Assert.Equal(source.Keys.Order(StringComparer.Ordinal), restored.Keys.Order(StringComparer.Ordinal));
        // Only answers and their audit entries were written meanwhile: every other table is the source's, row for row.
        foreach (var table in source.Keys.Where(t => t is not "Answers" and not "AuditEntries" and not "sqlite_sequence"))
        {
            Assert.Equal(Render(table, source[table]), Render(table, restored[table]));
        }
        Assert.NotEmpty(restored["ResultsSnapshots"]);
        Assert.NotEmpty(restored["ApiKeys"]);
        // The audit trail is append-only, its ids in commit order: the copy holds exactly the entries up to one of them.
        var lastAudit = restored["AuditEntries"].Max(row => long.Parse(row[0], CultureInfo.InvariantCulture));
        Assert.Equal(source["AuditEntries"].Where(row => long.Parse(row[0], CultureInfo.InvariantCulture) <= lastAudit), restored["AuditEntries"]);
        Assert.True(lastAudit < source["AuditEntries"].Max(row => long.Parse(row[0], CultureInfo.InvariantCulture)), "writes went on after the backup");
        // Each writer's answers are those of one prefix of its acknowledged writes: all before the backup began, none
        // acknowledged after it ended but one in flight.
        var answers = Answers(Path.Combine(fresh, "barometre.db"));
        for (var w = 0; w < writers; w++)
        {
            var code = $"OUV{w + 1}";
            var mine = answers.Where(a => a.Key.Code == code).ToDictionary(a => a.Key.Question, a => a.Value);
            var kept = mine.Values.Max(a => int.Parse(a.Comment![(a.Comment!.IndexOf('-', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture));
            Assert.InRange(kept, before[w], after[w] + 1);
            var expected = logs[w].Take(kept).GroupBy(write => write.Question).ToDictionary(g => g.Key, g => g.Last().Answer);
            Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), mine.OrderBy(a => a.Key, StringComparer.Ordinal));
            // One audit entry per write kept, each naming its comment (« commentaire « w0-12 » »).
            Assert.Equal($"{kept}", Column(Path.Combine(fresh, "barometre.db"), $"SELECT count(*) FROM \"AuditEntries\" WHERE \"NewValue\" LIKE '%« w{w}-%';").Single());
        }
        // The closed campaign's answers never changed.
        var closedAnswers = Answers(Path.Combine(_store.DataDirectory, "barometre.db")).Where(a => a.Key.Code.StartsWith("CLO", StringComparison.Ordinal));
        Assert.Equal(closedAnswers.OrderBy(a => a.Key), answers.Where(a => a.Key.Code.StartsWith("CLO", StringComparison.Ordinal)).OrderBy(a => a.Key));
    }

    [Fact]
    public async Task Restore_OverARunningServer_IsRefusedThenOnceStopped_KeepsThePreviousDatabaseAside()
    {
        await SeedAsync(2);
        var backup = _store.File("sauvegarde.db");
        await SucceedsAsync(Cli.RunAsync(["backup", "--data", _store.DataDirectory, "--out", backup]));
        var created = await SucceedsAsync(RunAsync("campaign", "create", "--model", Model, "--name", "Après la sauvegarde", "--panel", _store.File("apres.csv", Panel("APR", 2))));
        var database = Path.Combine(_store.DataDirectory, "barometre.db");

        await using (var server = await _store.ServerAsync())
        {
            await server.StartAsync(Ct);
            var refused = await Cli.RunAsync(["restore", "--data", _store.DataDirectory, "--from", backup]);

            Assert.Equal(ExitCodes.Environment, refused.ExitCode);
            Assert.Contains($"la base de « {_store.DataDirectory} » est en cours d'utilisation (barometre serve", refused.Error, StringComparison.Ordinal);
            Assert.Contains("rien n'a été modifié", refused.Error, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(_store.DataDirectory, "barometre.db.avant-restauration-*"));
        }

        var restored = await SucceedsAsync(Cli.RunAsync(["restore", "--data", _store.DataDirectory, "--from", backup]));

        var aside = Assert.Single(Directory.GetFiles(_store.DataDirectory, "barometre.db.avant-restauration-*"), f => !f.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal));
        Assert.Contains($"L'ancienne base est conservée sous {aside}.", restored.Out, StringComparison.Ordinal);
        var list = await SucceedsAsync(RunAsync("campaign", "list"));
        Assert.Equal(["Baromètre clos", "Baromètre en cours"], Campaigns(list.Out).Order(StringComparer.Ordinal));
        Assert.Equal(["Baromètre en cours", "Baromètre clos", "Après la sauvegarde"], Column(aside, "SELECT \"Name\" FROM \"Campaigns\" ORDER BY \"Id\";"));
        Assert.Equal(created.Out.Trim(), Column(aside, "SELECT max(\"Id\") FROM \"Campaigns\";").Single());
        Assert.Empty(Directory.GetFiles(_store.DataDirectory, ".barometre.db.restauration-*"));
    }

    [Fact]
    public async Task Serve_WhileARestoreHoldsTheFolder_ExitsFive()
    {
        await SeedAsync(1);
        using var restoring = DataFolderLock.TryExclusive(DatabaseSettings.From(_store.DataDirectory, null));
        Assert.NotNull(restoring);

        var run = await Cli.RunAsync(["serve", "--data", _store.DataDirectory, "--urls", "http://127.0.0.1:0"]).WaitAsync(TimeSpan.FromSeconds(60), Ct);

        Assert.Equal(ExitCodes.Environment, run.ExitCode);
        Assert.Contains($"une restauration est en cours dans le dossier des données « {_store.DataDirectory} » (barometre restore) : relancez le serveur quand elle est terminée.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_NewerSchema_IsRefusedAndOlderOneIsMigratedAtNextStart()
    {
        await SeedAsync(1);
        var backup = _store.File("sauvegarde.db");
        await SucceedsAsync(Cli.RunAsync(["backup", "--data", _store.DataDirectory, "--out", backup]));
        var newer = _store.File("plus-recente.db");
        File.Copy(backup, newer);
        Execute(newer, "INSERT INTO \"__EFMigrationsHistory\" VALUES ('29991231000000_Avenir', '99.0.0');");
        var older = _store.File("ancienne.db");
        await using (var context = new SqliteBarometreContext(new DbContextOptionsBuilder<SqliteBarometreContext>().UseSqlite($"Data Source={older};Pooling=False").Options))
        {
            await context.GetService<IMigrator>().MigrateAsync(SqliteBackup.Migrations[^2], Ct);
        }
        var target = Path.Combine(_store.DataDirectory, "cible");

        var refused = await Cli.RunAsync(["restore", "--data", target, "--from", newer]);
        var accepted = await Cli.RunAsync(["restore", "--data", target, "--from", older]);

        Assert.Equal(ExitCodes.InvalidInput, refused.ExitCode);
        Assert.Contains($"« {newer} » vient d'une version plus récente de Baromètre (migration « 29991231000000_Avenir » inconnue de celle-ci)", refused.Error, StringComparison.Ordinal);
        Assert.Contains("Rien n'a été modifié.", refused.Error, StringComparison.Ordinal);
        Assert.Equal(0, accepted.ExitCode);
        Assert.Equal(SqliteBackup.Migrations.Count - 1, Tables(Path.Combine(target, "barometre.db"))["__EFMigrationsHistory"].Count);
        await SucceedsAsync(Cli.RunAsync(["campaign", "list", "--data", target]));
        Assert.Equal(SqliteBackup.Migrations, Tables(Path.Combine(target, "barometre.db"))["__EFMigrationsHistory"].Select(row => row[0]));
    }

    [Fact]
    public async Task Restore_FromWhatIsNotABackup_ExitsOneAndChangesNothing()
    {
        await SeedAsync(1);
        var database = Path.Combine(_store.DataDirectory, "barometre.db");
        var contents = Tables(database);
        var random = _store.File("aleatoire.db");
        File.WriteAllBytes(random, [.. Enumerable.Range(0, 8192).Select(i => (byte)(i * 7919 % 251))]);
        var other = _store.File("autre.db");
        Execute(other, "CREATE TABLE notes (texte TEXT); INSERT INTO notes VALUES ('bonjour');");

        (string From, string Message)[] cases =
        [
            (random, $"« {random} » n'est pas une base SQLite, ou elle est endommagée."),
            (other, $"« {other} » n'est pas une base Baromètre"),
            (_store.File("absente.db"), $"« {_store.File("absente.db")} » : fichier introuvable."),
            (_store.DataDirectory, $"« {_store.DataDirectory} » est un dossier"),
        ];
        foreach (var (from, message) in cases)
        {
            var run = await Cli.RunAsync(["restore", "--data", _store.DataDirectory, "--from", from]);

            Assert.Equal((from, ExitCodes.InvalidInput), (from, run.ExitCode));
            Assert.Contains(message, run.Error, StringComparison.Ordinal);
        }
        Assert.Equal(contents, Tables(database));
        Assert.Empty(Directory.GetFiles(_store.DataDirectory, "barometre.db.avant-restauration-*"));
        Assert.Empty(Directory.GetFiles(_store.DataDirectory, ".barometre.db.restauration-*"));
    }

    [Fact]
    public async Task BackupAndRestore_OnPostgres_GiveThePostgresToolsCommandsWithoutThePassword()
    {
        const string connection = "Host=db.exemple.fr;Port=5433;Database=barometre_prod;Username=barometre;Password=secret-de-prod";

        var backup = await Cli.RunAsync(["backup", "--data", _store.DataDirectory, "--database", connection, "--out", _store.File("s.dump")]);
        var restore = await Cli.RunAsync(["restore", "--data", _store.DataDirectory, "--database", connection, "--from", _store.File("s.dump")]);

        Assert.Equal((ExitCodes.UsageError, ExitCodes.UsageError), (backup.ExitCode, restore.ExitCode));
        Assert.Equal(backup.Error, restore.Error);
        Assert.Contains("pg_dump --format=custom --file=barometre.dump --host=db.exemple.fr --port=5433 --username=barometre barometre_prod", backup.Error, StringComparison.Ordinal);
        Assert.Contains("pg_restore --clean --if-exists --no-owner --single-transaction --host=db.exemple.fr --port=5433 --username=barometre --dbname=barometre_prod barometre.dump", backup.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-de-prod", backup.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_store.File("s.dump")));
    }

    [Fact]
    public async Task Backup_WithoutADatabase_ExitsOne()
    {
        var run = await Cli.RunAsync(["backup", "--data", Path.Combine(_store.DataDirectory, "vide"), "--out", _store.File("s.db")]);

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("barometre.db absent", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_store.DataDirectory, "vide")));
    }

    /// <summary>An acknowledged write: its number in the writer's sequence, the question, and the answer as the server returned it.</summary>
    private sealed record Write(int Number, string Question, StoredAnswer Answer);

    private sealed record StoredAnswer(int? Level, string? Comment, int Version);

    /// <summary>One collectivité's autosave: every question in turn, each write different from the last, until stopped.</summary>
    private static async Task WriteUntilStoppedAsync(HttpClient http, int writer, string token, ConcurrentQueue<Write> log, CancellationToken stop)
    {
        for (var n = 1; !stop.IsCancellationRequested; n++)
        {
            var question = Questions[(n - 1) % Questions.Count];
            var body = new { level = n % 5, status = (string?)null, comment = $"w{writer}-{n}" };
            using var response = await http.PutAsJsonAsync(new Uri($"/api/questionnaire/{token}/answers/{question}", UriKind.Relative), body, CancellationToken.None);
            var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
            Assert.True(response.IsSuccessStatusCode, $"PUT {question}: {(int)response.StatusCode} {text}");
            using var saved = JsonDocument.Parse(text);
            log.Enqueue(new Write(n, question, new StoredAnswer(n % 5, body.comment, saved.RootElement.GetProperty("version").GetInt32())));
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the writers made no progress in 60 s");
            await Task.Delay(20, Ct);
        }
    }

    private static string Render(string table, List<string[]> rows) =>
        $"{table}:\n" + string.Join('\n', rows.Select(row => string.Join('\t', row)));

    private static List<string> Campaigns(string list) =>
        [.. list.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.TrimEnd('\r').Split('\t')[3])];

    /// <summary>Every table's rows, each value as text with its type, in rowid order.</summary>
    private static Dictionary<string, List<string[]>> Tables(string path)
    {
        using var connection = Open(path);
        var tables = new Dictionary<string, List<string[]>>(StringComparer.Ordinal);
        using var names = connection.CreateCommand();
        names.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name;";
        var list = new List<string>();
        using (var reader = names.ExecuteReader())
        {
            while (reader.Read())
            {
                list.Add(reader.GetString(0));
            }
        }
        foreach (var table in list)
        {
            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\" ORDER BY rowid;";
            using var reader = select.ExecuteReader();
            var rows = new List<string[]>();
            while (reader.Read())
            {
                rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : $"{reader.GetValue(i)}")]);
            }
            tables[table] = rows;
        }
        return tables;
    }

    /// <summary>Answers by collectivité and question.</summary>
    private static Dictionary<(string Code, string Question), StoredAnswer> Answers(string path)
    {
        using var connection = Open(path);
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT p.\"Code\", a.\"QuestionId\", a.\"Level\", a.\"Comment\", a.\"Version\" FROM \"Answers\" a JOIN \"Participants\" p ON p.\"Id\" = a.\"ParticipantId\";";
        using var reader = select.ExecuteReader();
        var answers = new Dictionary<(string, string), StoredAnswer>();
        while (reader.Read())
        {
            answers[(reader.GetString(0), reader.GetString(1))] = new StoredAnswer(reader.IsDBNull(2) ? null : reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt32(4));
        }
        return answers;
    }

    private static List<string> Column(string path, string sql)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add($"{reader.GetValue(0)}");
        }
        return values;
    }

    private static void Execute(string path, string sql)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
