using System.Globalization;

namespace Barometre.Data.Mail;

/// <summary>
/// The mailbox the bounces come back to (the sender's address or its envelope sender), from the <c>Barometre:Imap</c>
/// configuration section or the environment (<c>Barometre__Imap__Host</c>…). Nothing is read while <see cref="Host"/> is empty.
/// </summary>
public sealed class ImapOptions
{
    /// <summary>The IMAP server's host name; empty when bounces are not read.</summary>
    public string? Host { get; set; }

    /// <summary>The port; 0 for the usual one of <see cref="Tls"/> (143 or 993).</summary>
    public int Port { get; set; }

    /// <summary>None, StartTls or Tls, as for SMTP.</summary>
    public SmtpTls Tls { get; set; } = SmtpTls.Tls;

    /// <summary>The mailbox's account.</summary>
    public string? User { get; set; }

    public string? Password { get; set; }

    /// <summary>The folder the delivery reports arrive in.</summary>
    public string Folder { get; set; } = "INBOX";

    /// <summary>Whether a mailbox is configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    /// <summary>The port used.</summary>
    public int EffectivePort => Port > 0 ? Port : Tls == SmtpTls.Tls ? 993 : 143;

    /// <summary>Why these settings cannot read the mailbox, in French; null when they can (or when none is configured).</summary>
    public string? Problem() =>
        !IsConfigured ? null
        : Port is < 0 or > 65535 ? $"Barometre:Imap:Port doit être compris entre 1 et 65535, pas {Port.ToString(CultureInfo.InvariantCulture)}."
        : string.IsNullOrWhiteSpace(User) ? "Barometre:Imap:User doit nommer le compte de la boîte où reviennent les courriels en erreur."
        : string.IsNullOrWhiteSpace(Folder) ? "Barometre:Imap:Folder ne peut pas être vide (INBOX par défaut)."
        : null;

    /// <summary>« imap.exemple.fr:993 (TLS), dossier INBOX ».</summary>
    public string Describe() =>
        $"{Host}:{EffectivePort.ToString(CultureInfo.InvariantCulture)} ({Tls switch { SmtpTls.None => "sans chiffrement", SmtpTls.Tls => "TLS", _ => "STARTTLS" }}), dossier {Folder}";
}
