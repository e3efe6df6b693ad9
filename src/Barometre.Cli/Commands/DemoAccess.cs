using System.Text.Json;
using Barometre.Data;
using Barometre.Data.Storage;

namespace Barometre.Cli.Commands;

/// <summary>
/// What the demo printed for its operator and respondents — the password and three link tokens, which the database
/// keeps only hashed — kept in the data folder (readable by its owner only, like the database beside it) so that a
/// second <c>barometre demo</c> prints them again instead of resetting the password and revoking the links of the demo
/// already open in a browser.
/// </summary>
/// <param name="Database">The database they belong to (<see cref="DatabaseSettings.Describe"/>): a file from another one is ignored.</param>
/// <param name="Password">The demo operator's password.</param>
/// <param name="NotStarted">The token of a collectivité that has not started.</param>
/// <param name="InProgress">The token of a collectivité halfway through.</param>
/// <param name="Submitted">The token of a collectivité that submitted (its benchmark).</param>
internal sealed record DemoAccess(string Database, string Password, string NotStarted, string InProgress, string Submitted)
{
    private const string FileName = "demo-acces.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string PathIn(DatabaseSettings settings) => Path.Combine(settings.DataDirectory, FileName);

    /// <summary>The kept access of this database, or null when there is none (first run, file removed or unreadable, another database).</summary>
    public static DemoAccess? Read(DatabaseSettings settings)
    {
        try
        {
            var access = JsonSerializer.Deserialize<DemoAccess>(File.ReadAllBytes(PathIn(settings)), Json);
            return access is { Password.Length: > 0, NotStarted.Length: > 0, InProgress.Length: > 0, Submitted.Length: > 0 }
                && access.Database == settings.Describe() ? access : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    public static void Write(DatabaseSettings settings, DemoAccess access)
    {
        // PostgreSQL: the data folder may not exist, and then holds only this file.
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(settings.DataDirectory);
            }
            else if (!Directory.Exists(settings.DataDirectory))
            {
                Directory.CreateDirectory(settings.DataDirectory, DatabaseSettings.PrivateFolder);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EnvironmentException($"le dossier des données « {TextRules.Quote(settings.DataDirectory)} » ne peut pas être créé : {e.Message}", e);
        }
        AtomicFile.Write(PathIn(settings), JsonSerializer.SerializeToUtf8Bytes(access, Json));
    }
}
