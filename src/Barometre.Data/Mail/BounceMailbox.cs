using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;

namespace Barometre.Data.Mail;

/// <summary>
/// The mailbox bounces come back to, read over IMAP with MailKit: each message not read before is parsed
/// (<see cref="DeliveryReports"/>), its bounces recorded (<see cref="MailSender.RecordBouncesAsync"/>), and then it is
/// marked with the <see cref="ReadKeyword"/> keyword — whether it was a bounce or not — so that the next round reads only
/// what arrived since. A server that keeps no keywords of its own (Exchange's IMAP) gets the \Seen flag instead, and
/// only unseen messages are read. Nothing is deleted or moved: the mailbox stays the operator's to read.
/// </summary>
public sealed class BounceMailbox(ImapOptions options)
{
    /// <summary>The IMAP keyword Baromètre puts on the messages it has read.</summary>
    public const string ReadKeyword = "BarometreLu";

    /// <summary>
    /// Whether <paramref name="exception"/> says the mailbox could not be read now (unreachable, refused the account, no such
    /// folder, dropped the connection): the reading is tried again later, and nothing was marked.
    /// </summary>
    public static bool IsUnreachable(Exception exception) =>
        exception is IOException or System.Net.Sockets.SocketException or ProtocolException or AuthenticationException or SslHandshakeException
            or ImapCommandException or FolderNotFoundException;

    /// <summary>Reads what arrived since the last round and records its bounces; returns those recorded now.</summary>
    /// <exception cref="IOException">The server cannot be reached or drops the connection (nothing is marked then).</exception>
    /// <exception cref="MailKit.Security.AuthenticationException">The account or its password is refused.</exception>
    public async Task<IReadOnlyList<BounceOutcome>> ReadAsync(MailSender sender, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sender);
        using var client = new ImapClient { Timeout = 60_000 };
        var security = options.Tls switch
        {
            SmtpTls.None => SecureSocketOptions.None,
            SmtpTls.StartTls => SecureSocketOptions.StartTls,
            _ => SecureSocketOptions.SslOnConnect,
        };
        await client.ConnectAsync(options.Host!, options.EffectivePort, security, cancellationToken);
        await client.AuthenticateAsync(options.User!, options.Password ?? "", cancellationToken);
        var folder = await client.GetFolderAsync(options.Folder, cancellationToken);
        await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
        // « \* » in PERMANENTFLAGS: the server keeps keywords the client makes up.
        var keyword = folder.PermanentFlags.HasFlag(MessageFlags.UserDefined);
        var unread = await folder.SearchAsync(keyword ? SearchQuery.NotKeyword(ReadKeyword) : SearchQuery.NotSeen, cancellationToken);
        var recorded = new List<BounceOutcome>();
        foreach (var uid in unread)
        {
            var message = await folder.GetMessageAsync(uid, cancellationToken);
            // Recorded before the keyword is set: a round cut in between reads the message again, and a bounce counts once.
            recorded.AddRange(await sender.RecordBouncesAsync(DeliveryReports.Read(message), cancellationToken));
            var read = keyword
                ? new StoreFlagsRequest(StoreAction.Add, MessageFlags.None) { Keywords = { ReadKeyword }, Silent = true }
                : new StoreFlagsRequest(StoreAction.Add, MessageFlags.Seen) { Silent = true };
            await folder.StoreAsync(uid, read, cancellationToken);
        }
        await client.DisconnectAsync(quit: true, cancellationToken);
        return recorded;
    }
}
