using System.Text.Json;
using Barometre.Data.Mail;
using MimeKit;

namespace Barometre.Testing.Mail;

/// <summary>
/// A real IMAP server on loopback for one test (npm's hoodiecrow-imap, run by node: Mail/imap-mailbox.js) whose INBOX
/// holds the messages it is started with. Skipped loudly (failed in CI) when node or hoodiecrow-imap is missing.
/// </summary>
public sealed class ImapMailbox : IAsyncDisposable
{
    /// <summary>The account's name.</summary>
    public const string User = "retours@exemple.fr";

    /// <summary>The account's password.</summary>
    public const string Password = "secret-des-retours";

    private readonly NodeScript _server;
    private readonly string _directory;

    private ImapMailbox(NodeScript server, string directory)
    {
        _server = server;
        _directory = directory;
    }

    /// <summary>The loopback port it listens on.</summary>
    public int Port => _server.Ready.GetProperty("port").GetInt32();

    /// <summary>Starts a server whose INBOX holds <paramref name="messages"/>; without <paramref name="keywords"/>, it keeps only the system flags (as Exchange does).</summary>
    public static async Task<ImapMailbox> StartAsync(IEnumerable<MimeMessage> messages, bool keywords = true)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var tools = ExternalTools.ImapServer();
        var directory = Path.Combine(Path.GetTempPath(), "barometre-imap-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var n = 0;
        foreach (var message in messages)
        {
            await message.WriteToAsync(Path.Combine(directory, $"{++n:D6}.eml"));
        }
        var script = await NodeScript.StartAsync(tools.Node, Path.Combine("Mail", "imap-mailbox.js"), [directory, User, Password, keywords ? "yes" : "no"],
            new Dictionary<string, string> { ["NODE_PATH"] = tools.NodeModules });
        return new ImapMailbox(script, directory);
    }

    /// <summary>Settings that read this mailbox, without TLS.</summary>
    public ImapOptions Options() => new() { Host = "127.0.0.1", Port = Port, Tls = SmtpTls.None, User = User, Password = Password };

    /// <summary>The same settings as the app and the command read them (<c>Barometre:Imap:…</c>).</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["Barometre:Imap:Host"] = "127.0.0.1",
        ["Barometre:Imap:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Barometre:Imap:Tls"] = "None",
        ["Barometre:Imap:User"] = User,
        ["Barometre:Imap:Password"] = Password,
    };

    /// <summary>Each message's flags and keywords, in the INBOX's order.</summary>
    public async Task<IReadOnlyList<IReadOnlyList<string>>> FlagsAsync()
    {
        return JsonSerializer.Deserialize<List<List<string>>>(await _server.AskAsync("flags"))!;
    }

    /// <summary>Delivers a message to the INBOX, as a mail server does when it arrives.</summary>
    public async Task DeliverAsync(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var file = Path.Combine(_directory, $"arrivee-{Guid.NewGuid():N}.eml.in");
        await message.WriteToAsync(file);
        await _server.AskAsync("append " + file);
    }

    /// <summary>
    /// The delivery report a recipient's server sends back when <paramref name="original"/> cannot reach
    /// <paramref name="recipient"/>: Postfix's layout (RFC 3464), the original's headers quoted.
    /// </summary>
    public static MimeMessage DeliveryReport(MimeMessage original, string recipient, string action = "failed", string status = "5.1.1",
        string diagnostic = "smtp; 550 5.1.1 <{0}>: Recipient address rejected: User unknown in local recipient table")
    {
        ArgumentNullException.ThrowIfNull(original);
        var text = $"""
            From: MAILER-DAEMON@mx.exemple.fr (Mail Delivery System)
            To: {original.From.Mailboxes.Single().Address}
            Subject: Undelivered Mail Returned to Sender
            Message-ID: <{Guid.NewGuid():N}@mx.exemple.fr>
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="limite"

            --limite
            Content-Type: text/plain; charset=us-ascii

            I'm sorry to have to inform you that your message could not
            be delivered to one or more recipients.

            --limite
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx.exemple.fr
            X-Postfix-Queue-ID: 4F1A2B3C4D
            Arrival-Date: Mon,  7 Dec 2026 10:00:00 +0100 (CET)

            Final-Recipient: rfc822; {recipient}
            Original-Recipient: rfc822;{recipient}
            Action: {action}
            Status: {status}
            Remote-MTA: dns; mx2.exemple.fr
            Diagnostic-Code: {string.Format(System.Globalization.CultureInfo.InvariantCulture, diagnostic, recipient)}

            --limite
            Content-Type: text/rfc822-headers

            Message-ID: <{original.MessageId}>
            From: {original.From}
            To: {recipient}
            Subject: {original.Headers[HeaderId.Subject]}

            --limite--

            """.Replace("\n", "\r\n", StringComparison.Ordinal);
        return MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)));
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
