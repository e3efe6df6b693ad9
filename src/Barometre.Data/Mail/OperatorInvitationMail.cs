using Barometre.Data.Campaigns;
using MimeKit;

namespace Barometre.Data.Mail;

/// <summary>
/// The message that brings an invited operator their one-time link (<see cref="OperatorAccounts.InviteAsync"/>), sent at
/// once through the configured SMTP server: it concerns no campaign, so it does not wait in the collectivités' outbox.
/// </summary>
public static class OperatorInvitationMail
{
    /// <summary>Sends the invitation; the server's refusal comes back as its reply, any other failure throws.</summary>
    public static async Task<TransportReply> SendAsync(
        IMailTransport transport, SmtpOptions options, OperatorAccount account, Uri link, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(link);
        var name = string.Join(' ', new[] { account.GivenName, account.FamilyName }.Where(part => !string.IsNullOrWhiteSpace(part)));
        var expires = account.InvitationExpiresAt is { } at ? Barometre.Core.ParisTime.DateAndTime(at) : "";
        var message = new MimeMessage { Subject = "Votre compte sur le Baromètre", Date = now };
        message.From.Add(new MailboxAddress(options.FromName ?? "", options.FromAddress!.Trim()));
        message.To.Add(new MailboxAddress(name, account.Email));
        if (!string.IsNullOrWhiteSpace(options.ReplyTo))
        {
            message.ReplyTo.Add(MailboxAddress.Parse(options.ReplyTo.Trim()));
        }
        message.Body = new TextPart("plain")
        {
            Text = $"""
                Bonjour{(name.Length > 0 ? " " + name : "")},

                Un compte « {OperatorRoles.Label(account.Role)} » vous a été ouvert sur le Baromètre, à l'adresse {account.Email}.
                Choisissez votre mot de passe avec ce lien, utilisable une seule fois jusqu'au {expires} :

                {link}

                Si vous n'attendiez pas ce message, ignorez-le : sans mot de passe choisi, le compte ne sert à rien.
                """,
        };
        await transport.ConnectAsync(cancellationToken);
        return await transport.SendAsync(message, cancellationToken);
    }
}
