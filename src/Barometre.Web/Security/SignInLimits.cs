using System.Threading.RateLimiting;
using Barometre.Data.Campaigns;

namespace Barometre.Web.Security;

/// <summary>Marks the sign-in page: its POSTs are sign-in attempts, limited by <see cref="SignInLimits"/>.</summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class SignInEndpointAttribute : Attribute;

/// <summary>
/// A sign-in POST as the limits see it, read before the rate limiter: the address typed (normalised; null when
/// the form holds no single address) and, when the browser signed in to that address before, its device id.
/// The sign-in page takes the address from here, so that the limits and the check are about the same account.
/// </summary>
internal sealed record SignInAttempt(string? Address, string? Device)
{
    /// <summary>The attempt the request carries, or null when it is no sign-in POST.</summary>
    public static SignInAttempt? Of(HttpContext context) => context.Features.Get<SignInAttempt>();
}

/// <summary>
/// What bounds sign-in attempts. Per client (address, or recognised browser): failed sign-ins. Per address typed:
/// every attempt from browsers it never signed in from. Over the whole server: how many passwords are verified at
/// once, because each verification holds a core for tens of milliseconds and a flood of them would starve every
/// other request. A recognised browser has its own failure budget, <see cref="OperatorAccounts.MaxFailures"/> per
/// <see cref="OperatorAccounts.LockDuration"/>: what the account's lock would allow, which strangers cannot spend.
/// </summary>
public sealed class SignInLimits : IDisposable
{
    private readonly FailureBudget _clientFailures;
    private readonly FailureBudget _deviceFailures;
    private readonly PartitionedRateLimiter<HttpContext> _perAddress;
    private readonly ConcurrencyLimiter _passwordChecks;

    public SignInLimits(RateLimitOptions options)
    {
        _clientFailures = new FailureBudget(options.SignInFailuresPerClient,
            context => SignInAttempt.Of(context) is { Device: null } ? RateLimits.ClientKey(context) : null);
        _deviceFailures = new FailureBudget(new RateLimit { Limit = OperatorAccounts.MaxFailures, Period = OperatorAccounts.LockDuration },
            context => SignInAttempt.Of(context)?.Device);
        _perAddress = PartitionedRateLimiter.Create<HttpContext, string>(context => SignInAttempt.Of(context) is { Address: { } address, Device: null }
            ? RateLimitPartition.GetTokenBucketLimiter(address, _ => options.SignInAttemptsPerAddress.Bucket())
            : RateLimitPartition.GetNoLimiter(""));
        _passwordChecks = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.ConcurrentPasswordChecks,
            QueueLimit = options.QueuedPasswordChecks,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>The limits for the global limiter: the failure budgets (which take nothing) first.</summary>
    public IEnumerable<PartitionedRateLimiter<HttpContext>> Limiters => [_clientFailures, _deviceFailures, _perAddress];

    /// <summary>Counts a failed sign-in against the client, or against the recognised browser.</summary>
    public void RecordFailure(HttpContext context)
    {
        _clientFailures.Spend(context);
        _deviceFailures.Spend(context);
    }

    /// <summary>
    /// Waits for a turn to verify a password; the lease is not acquired when too many sign-ins already wait
    /// (the page answers 503). The queue is short, so the wait is a few verifications at most.
    /// </summary>
    public ValueTask<RateLimitLease> AcquirePasswordCheckAsync(CancellationToken cancellationToken) =>
        _passwordChecks.AcquireAsync(1, cancellationToken);

    /// <summary>
    /// Middleware, before the rate limiter: reads the sign-in form (ASP.NET Core keeps it for the page) into a
    /// <see cref="SignInAttempt"/>.
    /// </summary>
    public static async Task ReadAttemptAsync(HttpContext context, RequestDelegate next)
    {
        if (HttpMethods.IsPost(context.Request.Method) && context.GetEndpoint()?.Metadata.GetMetadata<SignInEndpointAttribute>() is not null)
        {
            string? address = null;
            if (context.Request.HasFormContentType)
            {
                try
                {
                    var form = await context.Request.ReadFormAsync(context.RequestAborted);
                    address = form["Email"] is [{ } single] ? OperatorAccounts.NormaliseEmail(single) : null;
                }
                catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
                {
                    // A malformed form: the page refuses it (antiforgery, binding); the client's limits still apply.
                }
            }
            var device = address is null ? null : context.RequestServices.GetRequiredService<TrustedDevices>().Recognise(context, address);
            context.Features.Set(new SignInAttempt(address, device));
        }
        await next(context);
    }

    public void Dispose()
    {
        _clientFailures.Dispose();
        _deviceFailures.Dispose();
        _perAddress.Dispose();
        _passwordChecks.Dispose();
    }
}
