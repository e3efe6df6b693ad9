using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Barometre.Data.Mail;

/// <summary>What the server answered to one message.</summary>
/// <param name="Accepted">Whether it took the message.</param>
/// <param name="Reply">Its reply, « 550 5.1.1 Unknown user » for a refusal.</param>
public sealed record TransportReply(bool Accepted, string Reply);

/// <summary>
/// Where messages leave: one connection for a batch. <see cref="SendAsync"/> returns the server's refusal of a message as
/// a reply (the batch goes on); any other failure throws, and the message may or may not have left.
/// </summary>
public interface IMailTransport : IAsyncDisposable
{
    /// <summary>Connects and authenticates, before any message is taken from the outbox: a failure here sends nothing.</summary>
    Task ConnectAsync(CancellationToken cancellationToken);

    /// <summary>Sends one message.</summary>
    Task<TransportReply> SendAsync(MimeMessage message, CancellationToken cancellationToken);
}

/// <summary>SMTP through MailKit, as <see cref="SmtpOptions"/> say.</summary>
public sealed class SmtpMailTransport(SmtpOptions options) : IMailTransport
{
    private readonly SmtpClient _client = new() { Timeout = 60_000 };

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        if (_client.IsConnected)
        {
            return;
        }
        var security = options.Tls switch
        {
            SmtpTls.None => SecureSocketOptions.None,
            SmtpTls.Tls => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.StartTls,
        };
        await _client.ConnectAsync(options.Host!, options.EffectivePort, security, cancellationToken);
        if (!string.IsNullOrEmpty(options.User))
        {
            await _client.AuthenticateAsync(options.User, options.Password ?? "", cancellationToken);
        }
    }

    public async Task<TransportReply> SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        await ConnectAsync(cancellationToken);
        try
        {
            return new TransportReply(true, await _client.SendAsync(message, cancellationToken));
        }
        catch (SmtpCommandException e) when (e.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.SenderNotAccepted or SmtpErrorCode.MessageNotAccepted)
        {
            // A refusal ends that message's transaction only: the connection carries the next one.
            return new TransportReply(false, $"{(int)e.StatusCode} {e.Message}".Trim());
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync(quit: true);
            }
            catch (Exception e) when (e is IOException or ProtocolException or ServiceNotConnectedException)
            {
                // The batch's outcome is recorded already; a QUIT the server no longer hears changes nothing.
            }
        }
        _client.Dispose();
    }
}
