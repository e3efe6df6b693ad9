using System.Diagnostics;
using System.Text.Json;
using Barometre.Data.Mail;
using MimeKit;

namespace Barometre.Testing.Mail;

/// <summary>
/// A real SMTP server on loopback for one test (npm's smtp-server, run by node: Mail/smtp-sink.js): it keeps every
/// message it accepts, and refuses the recipients it is given with « 550 5.1.1 ». Skipped loudly (failed in CI) when node
/// or smtp-server is missing.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly Process _process;

    private SmtpSink(Process process, string directory, int port)
    {
        _process = process;
        Directory = directory;
        Port = port;
    }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>Where it writes what it accepted, one .eml per message.</summary>
    public string Directory { get; }

    /// <summary>Starts a server that refuses <paramref name="refused"/>.</summary>
    public static async Task<SmtpSink> StartAsync(params string[] refused)
    {
        var (node, nodeModules) = ExternalTools.SmtpServer();
        var directory = Path.Combine(Path.GetTempPath(), "barometre-smtp-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var start = new ProcessStartInfo(node)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Mail", "smtp-sink.js"));
        start.ArgumentList.Add(directory);
        start.ArgumentList.Add(string.Join(",", refused));
        start.Environment["NODE_PATH"] = nodeModules;
        var process = Process.Start(start)!;
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))
            ?? throw new InvalidOperationException("smtp-sink.js stopped: " + await process.StandardError.ReadToEndAsync());
        var port = JsonDocument.Parse(line).RootElement.GetProperty("port").GetInt32();
        return new SmtpSink(process, directory, port);
    }

    /// <summary>Settings that send to this server, without TLS and without a rate limit.</summary>
    public SmtpOptions Options(int messagesPerMinute = 0) => new()
    {
        Host = "127.0.0.1", Port = Port, Tls = SmtpTls.None, FromAddress = "barometre@exemple.fr", FromName = "Baromètre numérique",
        MessagesPerMinute = messagesPerMinute,
    };

    /// <summary>The same settings as the app and the command read them (<c>Barometre:Smtp:…</c>).</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["Barometre:Smtp:Host"] = "127.0.0.1",
        ["Barometre:Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Barometre:Smtp:Tls"] = "None",
        ["Barometre:Smtp:FromAddress"] = "barometre@exemple.fr",
        ["Barometre:Smtp:FromName"] = "Baromètre numérique",
        ["Barometre:Smtp:MessagesPerMinute"] = "0",
    };

    /// <summary>The messages accepted so far, in the order they arrived.</summary>
    public IReadOnlyList<MimeMessage> Messages() =>
        [.. System.IO.Directory.GetFiles(Directory, "*.eml").Order(StringComparer.Ordinal).Select(file => MimeMessage.Load(file))];

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }
        _process.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
