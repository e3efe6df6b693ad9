using System.Globalization;
using Barometre.Data.Campaigns;

namespace Barometre.Data.Mail;

/// <summary>How the connection to the SMTP server is secured.</summary>
public enum SmtpTls
{
    /// <summary>In clear (a relay on the same machine or network only).</summary>
    None,

    /// <summary>Plain connection upgraded with STARTTLS, which must succeed (port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    Tls,
}

/// <summary>
/// The mail server the invitations and reminders leave through, from the <c>Barometre:Smtp</c> configuration section or
/// the environment (<c>Barometre__Smtp__Host</c>…). Nothing is sent while <see cref="Host"/> is empty.
/// </summary>
public sealed class SmtpOptions
{
    /// <summary>The server's host name; empty when no mail is sent.</summary>
    public string? Host { get; set; }

    /// <summary>The port; 0 for the usual one of <see cref="Tls"/> (25, 587 or 465).</summary>
    public int Port { get; set; }

    /// <summary>None, StartTls or Tls.</summary>
    public SmtpTls Tls { get; set; } = SmtpTls.StartTls;

    /// <summary>The account to authenticate with, or empty for none.</summary>
    public string? User { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender's address (« barometre@exemple.fr »).</summary>
    public string? FromAddress { get; set; }

    /// <summary>The sender's name (« Baromètre numérique »), or empty.</summary>
    public string? FromName { get; set; }

    /// <summary>Where answers go, or empty for the campaign's contact address (else the sender).</summary>
    public string? ReplyTo { get; set; }

    /// <summary>Messages at most per minute (most providers cap the rate); 0 for no limit.</summary>
    public int MessagesPerMinute { get; set; } = 60;

    /// <summary>Whether a server is configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    /// <summary>The port used.</summary>
    public int EffectivePort => Port > 0 ? Port : Tls switch { SmtpTls.Tls => 465, SmtpTls.StartTls => 587, _ => 25 };

    /// <summary>Why these settings cannot send, in French; null when they can (or when no server is configured).</summary>
    public string? Problem()
    {
        if (!IsConfigured)
        {
            return null;
        }
        if (Port is < 0 or > 65535)
        {
            return $"Barometre:Smtp:Port doit être compris entre 1 et 65535, pas {Port.ToString(CultureInfo.InvariantCulture)}.";
        }
        if (string.IsNullOrWhiteSpace(FromAddress) || OperatorAccounts.NormaliseEmail(FromAddress.Trim()) is null)
        {
            return $"Barometre:Smtp:FromAddress doit être l'adresse de l'expéditeur, pas « {TextRules.Quote(FromAddress)} ».";
        }
        if (!string.IsNullOrWhiteSpace(ReplyTo) && OperatorAccounts.NormaliseEmail(ReplyTo.Trim()) is null)
        {
            return $"Barometre:Smtp:ReplyTo doit être une adresse électronique, pas « {TextRules.Quote(ReplyTo)} ».";
        }
        return MessagesPerMinute < 0 ? "Barometre:Smtp:MessagesPerMinute doit être positif (0 : sans limite)." : null;
    }

    /// <summary>« smtp.exemple.fr:587 (STARTTLS) ».</summary>
    public string Describe() => $"{Host}:{EffectivePort.ToString(CultureInfo.InvariantCulture)} ({Tls switch { SmtpTls.None => "sans chiffrement", SmtpTls.Tls => "TLS", _ => "STARTTLS" }})";
}
