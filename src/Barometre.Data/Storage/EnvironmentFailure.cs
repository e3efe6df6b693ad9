using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Barometre.Data.Storage;

/// <summary>
/// A failure of the machine around the program — a file or folder that cannot be read or written, a full disk, a
/// database that cannot be reached or refuses writes — explained in French: what failed, where, and what to do.
/// </summary>
public sealed class EnvironmentException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>
/// Tells the environment's failures from bugs. The command line exits with its own code for them and the web app
/// answers 503 instead of 500; only what this does not recognise is reported as a bug.
/// </summary>
public static partial class EnvironmentFailure
{
    /// <summary>
    /// Why <paramref name="exception"/>, or an exception it wraps, happened, in French, when the environment is to
    /// blame; null for anything else.
    /// </summary>
    /// <param name="exception">The failure.</param>
    /// <param name="namePath">Whether to name the path a file-system error gives (when the caller names the file itself, leave it out).</param>
    public static string? Explain(Exception exception, bool namePath = true)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (Reason(e, namePath) is { } reason)
            {
                return reason;
            }
        }
        return null;
    }

    private static string? Reason(Exception e, bool namePath) => e switch
    {
        EnvironmentException => e.Message,
        SqliteException sqlite => Sqlite(sqlite.SqliteErrorCode),
        PostgresException postgres => Postgres(postgres.SqlState),
        NpgsqlException { InnerException: TimeoutException } => "délai dépassé : le serveur PostgreSQL n'a pas répondu à temps",
        // Below the server's own errors: refused or lost connections, unknown hosts.
        NpgsqlException => "le serveur PostgreSQL est injoignable (connexion refusée ou perdue, hôte inconnu, délai dépassé)",
        TimeoutException => "délai dépassé",
        UnauthorizedAccessException => WithPath("accès refusé (droits insuffisants)", e, namePath),
        FileNotFoundException => WithPath("fichier introuvable", e, namePath),
        DirectoryNotFoundException => WithPath("dossier introuvable", e, namePath),
        IOException io => WithPath(Io(io.HResult), e, namePath),
        _ => null,
    };

    /// <summary>What an I/O error number means (errno on Unix, HRESULT on Windows).</summary>
    private static string Io(int code) => code switch
    {
        28 or 122 or unchecked((int)0x80070070) or unchecked((int)0x80070027) => "disque plein",
        30 or unchecked((int)0x80070013) => "système de fichiers en lecture seule",
        21 => "c'est un dossier, pas un fichier",
        17 => "un fichier ou un dossier de ce nom existe déjà",
        20 => "un élément du chemin n'est pas un dossier",
        1 or 13 => "accès refusé (droits insuffisants)",
        11 or unchecked((int)0x80070020) => "fichier verrouillé par un autre programme",
        _ => "erreur d'entrée-sortie",
    };

    private static string? Sqlite(int code) => code switch
    {
        3 => "accès refusé à la base SQLite",
        5 or 6 => "la base SQLite est verrouillée par un autre programme (une longue écriture, une restauration ?)",
        8 => "la base SQLite refuse les écritures (droits du fichier ou du dossier, système de fichiers en lecture seule ou disque plein)",
        10 => "erreur d'entrée-sortie sur la base SQLite (disque plein ou défaillant ?)",
        11 or 26 => "le fichier de la base SQLite est endommagé ou n'est pas une base SQLite",
        13 => "disque plein : la base SQLite ne peut plus grandir",
        14 => "impossible d'ouvrir la base SQLite (dossier inexistant ou inaccessible, fichier en lecture seule)",
        _ => null,
    };

    private static string? Postgres(string state) => state switch
    {
        _ when state.StartsWith("08", StringComparison.Ordinal) => "la connexion au serveur PostgreSQL a échoué ou s'est interrompue",
        _ when state.StartsWith("28", StringComparison.Ordinal) => "PostgreSQL refuse la connexion : rôle ou mot de passe incorrect",
        "3D000" => "la base PostgreSQL indiquée n'existe pas",
        "53100" => "disque plein sur le serveur PostgreSQL",
        _ when state.StartsWith("53", StringComparison.Ordinal) => "ressources insuffisantes sur le serveur PostgreSQL (connexions, mémoire)",
        "57P01" or "57P02" or "57P03" => "le serveur PostgreSQL s'arrête ou redémarre",
        "57014" => "délai dépassé : le serveur PostgreSQL n'a pas répondu à temps",
        "55P03" => "la base PostgreSQL est verrouillée par une autre transaction",
        "25006" => "la base PostgreSQL n'accepte que des lectures (réplique, ou default_transaction_read_only)",
        "42501" => "le rôle PostgreSQL n'a pas les droits nécessaires",
        _ when state.StartsWith("58", StringComparison.Ordinal) => "erreur d'entrée-sortie sur le serveur PostgreSQL",
        _ => null,
    };

    /// <summary>
    /// The reason followed by the path the runtime's message names (« Access to the path '/x' is denied. »), for
    /// the failures no caller wrapped with its own path.
    /// </summary>
    private static string WithPath(string reason, Exception e, bool namePath) =>
        namePath && QuotedPath().Match(e.Message) is { Success: true } match ? $"{reason} : « {TextRules.Quote(match.Groups[1].Value)} »" : reason;

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex QuotedPath();
}
