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
    private readonly NodeScript _script;

    private SmtpSink(NodeScript script, string directory, int port)
    {
        _script = script;
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
        var script = await NodeScript.StartAsync(node, Path.Combine("Mail", "smtp-sink.js"), [directory, string.Join(",", refused)],
            new Dictionary<string, string> { ["NODE_PATH"] = nodeModules });
        return new SmtpSink(script, directory, script.Ready.GetProperty("port").GetInt32());
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
        await _script.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
