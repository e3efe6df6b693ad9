using Barometre.Data.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Data.Campaigns;

/// <summary>The result of a sign-in attempt.</summary>
public abstract record SignInOutcome
{
    /// <summary>Signed in.</summary>
    public sealed record Success(OperatorAccount Account) : SignInOutcome;

    /// <summary>Unknown address or wrong password (the two are not told apart).</summary>
    public sealed record Failure : SignInOutcome;

    /// <summary>Too many failures: locked until then.</summary>
    public sealed record LockedOut(DateTime Until) : SignInOutcome;
}

/// <summary>
/// Operator accounts: created from the command line (<c>barometre admin add</c>), passwords hashed with
/// ASP.NET Core Identity's hasher (PBKDF2-HMAC-SHA512, 100,000 iterations, per-password salt), locked
/// for a while after repeated failures.
/// </summary>
public sealed class OperatorAccounts(BarometreDbContext db, TimeProvider clock)
{
    /// <summary>The shortest password accepted.</summary>
    public const int MinimumPasswordLength = 12;

    /// <summary>Failed attempts in a row that lock an account.</summary>
    public const int MaxFailures = 5;

    /// <summary>How long a lock lasts.</summary>
    public static readonly TimeSpan LockDuration = TimeSpan.FromMinutes(15);

    private static readonly PasswordHasher<OperatorAccount> Hasher = new();

    // Verifying against this when the address is unknown makes both failures take the same time.
    private static readonly string DecoyHash = Hasher.HashPassword(null!, "mot de passe leurre pour un compte absent");

    /// <summary>Creates an account, or sets a new password on an existing one when <paramref name="replace"/>.</summary>
    /// <returns>null on success, else the reason in French.</returns>
    public async Task<string?> AddAsync(string email, string password, bool replace = false, CancellationToken cancellationToken = default)
    {
        var normalised = Normalise(email);
        if (normalised is null)
        {
            return $"« {email} » n'est pas une adresse électronique.";
        }
        if (password.Length < MinimumPasswordLength)
        {
            return $"Le mot de passe doit compter au moins {MinimumPasswordLength} caractères.";
        }
        var account = await db.Operators.SingleOrDefaultAsync(o => o.Email == normalised, cancellationToken);
        if (account is not null && !replace)
        {
            return $"Le compte {normalised} existe déjà (pour changer son mot de passe : --replace).";
        }
        if (account is null)
        {
            account = new OperatorAccount { Email = normalised, PasswordHash = "", CreatedAt = clock.GetUtcNow().UtcDateTime };
            db.Operators.Add(account);
        }
        account.PasswordHash = Hasher.HashPassword(account, password);
        account.FailedSignIns = 0;
        account.LockedUntil = null;
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    /// <summary>Checks an address and a password; counts failures and locks the account after <see cref="MaxFailures"/>.</summary>
    public async Task<SignInOutcome> SignInAsync(string email, string password, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var normalised = Normalise(email);
        var account = normalised is null ? null : await db.Operators.SingleOrDefaultAsync(o => o.Email == normalised, cancellationToken);
        if (account is null)
        {
            Hasher.VerifyHashedPassword(null!, DecoyHash, password);
            return new SignInOutcome.Failure();
        }
        if (account.LockedUntil is { } until && until > now)
        {
            return new SignInOutcome.LockedOut(until);
        }
        var verification = Hasher.VerifyHashedPassword(account, account.PasswordHash, password);
        if (verification == PasswordVerificationResult.Failed)
        {
            account.FailedSignIns++;
            if (account.FailedSignIns >= MaxFailures)
            {
                account.LockedUntil = now + LockDuration;
                account.FailedSignIns = 0;
            }
            await db.SaveChangesAsync(cancellationToken);
            return account.LockedUntil > now ? new SignInOutcome.LockedOut(account.LockedUntil.Value) : new SignInOutcome.Failure();
        }
        if (verification == PasswordVerificationResult.SuccessRehashNeeded)
        {
            account.PasswordHash = Hasher.HashPassword(account, password);
        }
        account.FailedSignIns = 0;
        account.LockedUntil = null;
        await db.SaveChangesAsync(cancellationToken);
        return new SignInOutcome.Success(account);
    }

    /// <summary>Whether any operator account exists (the demo creates one when none does).</summary>
    public Task<bool> AnyAsync(CancellationToken cancellationToken = default) => db.Operators.AnyAsync(cancellationToken);

    private static string? Normalise(string email)
    {
        var trimmed = email.Trim().ToLowerInvariant();
        var at = trimmed.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at < trimmed.Length - 1 && !trimmed.Any(char.IsWhiteSpace) && trimmed.Length <= 320 ? trimmed : null;
    }
}
