using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Barometre.Data.Storage;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.RateLimiting;

namespace Barometre.Web.Security;

/// <summary>
/// One limit: at most <see cref="Limit"/> events at once, then one more every <see cref="Period"/> ÷
/// <see cref="Limit"/> (a token bucket: <see cref="Limit"/> per <see cref="Period"/> in the long run).
/// </summary>
public sealed class RateLimit
{
    /// <summary>How many events a burst may hold.</summary>
    public int Limit { get; set; }

    /// <summary>How long the whole allowance takes to come back.</summary>
    public TimeSpan Period { get; set; }

    internal TokenBucketRateLimiterOptions Bucket() => new()
    {
        TokenLimit = Limit,
        TokensPerPeriod = 1,
        ReplenishmentPeriod = Period / Limit,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    internal string? Problem(string name) =>
        Limit < 1 || Period <= TimeSpan.Zero || Period / Limit < TimeSpan.FromMilliseconds(1)
            ? $"Barometre:RateLimits:{name} : Limit doit être un entier positif et Period une durée positive (« 00:05:00 ») d'au moins Limit millisecondes."
            : null;
}

/// <summary>
/// The limits against floods and guessing, bound from « Barometre:RateLimits » (docs/security.md lists them).
/// Counted per instance of the app, in memory.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Failed sign-ins per client (IP address; IPv6 by /64), or per recognised browser of the address typed.</summary>
    public RateLimit SignInFailuresPerClient { get; set; } = new() { Limit = 10, Period = TimeSpan.FromMinutes(5) };

    /// <summary>Sign-in attempts per address typed, from browsers that address has not signed in from.</summary>
    public RateLimit SignInAttemptsPerAddress { get; set; } = new() { Limit = 10, Period = TimeSpan.FromMinutes(15) };

    /// <summary>Password verifications (PBKDF2, one core for tens of milliseconds each) running at once.</summary>
    public int ConcurrentPasswordChecks { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>Sign-ins waiting for a verification; beyond, 503.</summary>
    public int QueuedPasswordChecks { get; set; } = 8;

    /// <summary>Requests under /q/… and /api/questionnaire/… answered 404 (unknown, revoked or expired link) per client.</summary>
    public RateLimit FailedLinkLookupsPerClient { get; set; } = new() { Limit = 60, Period = TimeSpan.FromMinutes(1) };

    /// <summary>File uploads (multipart forms) per operator.</summary>
    public RateLimit UploadsPerOperator { get; set; } = new() { Limit = 20, Period = TimeSpan.FromMinutes(10) };

    /// <summary>Uploads read and checked at once, over every operator (each may hold two 20 Mo files).</summary>
    public int ConcurrentUploads { get; set; } = 2;

    /// <summary>Uploads waiting for their turn; beyond, 429.</summary>
    public int QueuedUploads { get; set; } = 4;

    /// <summary>Every misconfigured limit, in French.</summary>
    internal IEnumerable<string> Problems()
    {
        foreach (var (name, limit) in new[]
        {
            (nameof(SignInFailuresPerClient), SignInFailuresPerClient), (nameof(SignInAttemptsPerAddress), SignInAttemptsPerAddress),
            (nameof(FailedLinkLookupsPerClient), FailedLinkLookupsPerClient), (nameof(UploadsPerOperator), UploadsPerOperator),
        })
        {
            if (limit.Problem(name) is { } problem)
            {
                yield return problem;
            }
        }
        foreach (var (name, value, least) in new[]
        {
            (nameof(ConcurrentPasswordChecks), ConcurrentPasswordChecks, 1), (nameof(QueuedPasswordChecks), QueuedPasswordChecks, 0),
            (nameof(ConcurrentUploads), ConcurrentUploads, 1), (nameof(QueuedUploads), QueuedUploads, 0),
        })
        {
            if (value < least)
            {
                yield return $"Barometre:RateLimits:{name} doit valoir au moins {least}.";
            }
        }
    }
}

/// <summary>
/// The app's rate limits, on ASP.NET Core's rate limiter: one global limiter chains the sign-in, link-lookup
/// and upload limits, each of which lets through the requests it does not concern. A refused request gets 429
/// with Retry-After, a French problem+json body on API routes and the French error page elsewhere.
/// </summary>
public static class RateLimits
{
    // When a limiter gives no delay (a full queue), the client is told to come back after this.
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(5);

    private static readonly object RefusalKey = new();

    /// <summary>Registers the limits and the rate limiter.</summary>
    public static IServiceCollection AddBarometreRateLimits(this IServiceCollection services, RateLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problems().ToList() is { Count: > 0 } problems)
        {
            // The operator's configuration, not a bug: the command line exits with its environment code.
            throw new EnvironmentException("configuration invalide : " + string.Join(Environment.NewLine, problems));
        }
        services.AddSingleton(options);
        services.AddSingleton<TrustedDevices>();
        services.AddSingleton<SignInLimits>();
        services.AddSingleton<LinkLookupLimits>();
        services.AddSingleton<UploadLimits>();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (rejected, _) => RefuseAsync(rejected.HttpContext, rejected.Lease);
        });
        // The limits are singletons (the sign-in page and a middleware count failures on them): the global limiter
        // chains the very same instances.
        services.AddOptions<RateLimiterOptions>().Configure<SignInLimits, LinkLookupLimits, UploadLimits>((limiter, signIn, lookups, uploads) =>
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained([.. signIn.Limiters, lookups.Limiter, .. uploads.Limiters]));
        return services;
    }

    /// <summary>
    /// The limits in the pipeline: after routing and authorization (they need the endpoint and the operator),
    /// before the endpoints.
    /// </summary>
    public static IApplicationBuilder UseBarometreRateLimits(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(SignInLimits.ReadAttemptAsync);
        // The error page a refusal re-executes (same request, same features) must not be counted, nor refused, again.
        app.UseWhen(context => context.Features.Get<IStatusCodeReExecuteFeature>() is null && context.Features.Get<IExceptionHandlerFeature>() is null,
            limited => limited.UseRateLimiter());
        app.Use(LinkLookupLimits.CountFailuresAsync);
        return app;
    }

    /// <summary>
    /// Whom a request is counted against: its remote address after the forwarded-headers middleware, IPv6 by
    /// /64 (one subscriber's network, which hands out any number of addresses).
    /// </summary>
    internal static string ClientKey(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "?";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>Why the request was refused, in French, for the error page (null when it was not).</summary>
    public static string? Refusal(HttpContext context) =>
        context?.Items.TryGetValue(RefusalKey, out var refusal) == true ? refusal as string : null;

    /// <summary>« 40 secondes », « 3 minutes ».</summary>
    internal static string Delay(TimeSpan delay)
    {
        var seconds = Seconds(delay);
        return seconds < 120
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds} seconde{(seconds > 1 ? "s" : "")}")
            : string.Create(CultureInfo.InvariantCulture, $"{(seconds + 59) / 60} minutes");
    }

    private static int Seconds(TimeSpan delay) => Math.Max(1, (int)Math.Ceiling(delay.TotalSeconds));

    private static async ValueTask RefuseAsync(HttpContext context, RateLimitLease lease)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var delay) ? delay : DefaultRetryAfter;
        context.Response.Headers.RetryAfter = Seconds(retryAfter).ToString(CultureInfo.InvariantCulture);
        var refusal = SignInAttempt.Of(context) is not null ? $"Trop de tentatives de connexion : réessayez dans {Delay(retryAfter)}."
            : LinkLookupLimits.Applies(context) ? $"Trop de liens inconnus, révoqués ou expirés demandés depuis votre adresse réseau : réessayez dans {Delay(retryAfter)}."
            : UploadLimits.Applies(context) ? $"Trop de fichiers déposés : réessayez dans {Delay(retryAfter)}."
            : $"Trop de requêtes : réessayez dans {Delay(retryAfter)}.";
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Trop de requêtes", detail: refusal).ExecuteAsync(context);
        }
        else
        {
            // The status-code pages render /erreur/429 in the same request, which shows this.
            context.Items[RefusalKey] = refusal;
        }
    }
}

/// <summary>
/// A budget of failures per key, refilled over time, that refuses a key's requests once spent: only failures
/// cost (a wrong password, a link that opens nothing), so that honest traffic from the same address is never
/// counted. As a limiter it checks that a whole failure is left without taking it; <see cref="Spend"/> takes one
/// once the outcome is known.
/// </summary>
internal sealed class FailureBudget(RateLimit limit, Func<HttpContext, string?> key) : PartitionedRateLimiter<HttpContext>
{
    private readonly PartitionedRateLimiter<string> _buckets =
        PartitionedRateLimiter.Create<string, string>(k => RateLimitPartition.GetTokenBucketLimiter(k, _ => limit.Bucket()));

    /// <summary>Counts one failure against the request's key.</summary>
    public void Spend(HttpContext context)
    {
        if (key(context) is { } k)
        {
            _buckets.AttemptAcquire(k).Dispose();
        }
    }

    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => key(resource) is { } k ? _buckets.GetStatistics(k) : null;

    // A partitioned bucket refills continuously, so a spent one holds a fraction of a token at once: asking for
    // zero permits would pass. Its statistics count whole tokens; a refused client may retry after one refill.
    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount) =>
        key(resource) is not { } k || _buckets.GetStatistics(k) is not { CurrentAvailablePermits: 0 } ? Lease.Granted : new Lease(limit.Period / limit.Limit);

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(resource, permitCount));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _buckets.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>Granted, or refused with the delay after which a failure will be left.</summary>
    private sealed class Lease(TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Granted = new(null);

        public override bool IsAcquired => retryAfter is null;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter is { } delay && metadataName == MetadataName.RetryAfter.Name ? delay : null;
            return metadata is not null;
        }
    }
}

/// <summary>
/// Lookups of invitation links that open nothing: every 404 under /q/… and /api/questionnaire/… costs the client
/// one failure (a token is 256 random bits: these are floods or mistakes, never guesses that could succeed), and a
/// client that spent its budget gets 429 on those routes until it refills. Links that work are never counted, so
/// that collectivités behind one address save as often as they like.
/// </summary>
internal sealed class LinkLookupLimits : IDisposable
{
    private readonly FailureBudget _failures;

    public LinkLookupLimits(RateLimitOptions options) =>
        _failures = new FailureBudget(options.FailedLinkLookupsPerClient, context => Applies(context) ? RateLimits.ClientKey(context) : null);

    /// <summary>The gate for the global limiter.</summary>
    public PartitionedRateLimiter<HttpContext> Limiter => _failures;

    /// <summary>Whether the request looks an invitation link up.</summary>
    public static bool Applies(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/q", StringComparison.OrdinalIgnoreCase)
        || context.Request.Path.StartsWithSegments("/api/questionnaire", StringComparison.OrdinalIgnoreCase);

    /// <summary>Middleware: counts the link routes' 404s.</summary>
    public static async Task CountFailuresAsync(HttpContext context, RequestDelegate next)
    {
        await next(context);
        if (context.Response.StatusCode == StatusCodes.Status404NotFound && Applies(context))
        {
            context.RequestServices.GetRequiredService<LinkLookupLimits>()._failures.Spend(context);
        }
    }

    public void Dispose() => _failures.Dispose();
}

/// <summary>
/// Uploads (multipart forms: models, panels, answers of up to 20 Mo each) per operator, and how many are read
/// at once over all operators, so that a few large files cannot take the server's memory.
/// </summary>
internal sealed class UploadLimits : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> _perOperator;
    private readonly PartitionedRateLimiter<HttpContext> _atOnce;

    public UploadLimits(RateLimitOptions options)
    {
        _perOperator = PartitionedRateLimiter.Create<HttpContext, string>(context => Applies(context)
            ? RateLimitPartition.GetTokenBucketLimiter(OperatorKey(context), _ => options.UploadsPerOperator.Bucket())
            : RateLimitPartition.GetNoLimiter(""));
        _atOnce = PartitionedRateLimiter.Create<HttpContext, string>(context => Applies(context)
            ? RateLimitPartition.GetConcurrencyLimiter("uploads", _ => new ConcurrencyLimiterOptions
            {
                PermitLimit = options.ConcurrentUploads,
                QueueLimit = options.QueuedUploads,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            })
            : RateLimitPartition.GetNoLimiter(""));
    }

    /// <summary>The limits for the global limiter, per operator first.</summary>
    public IEnumerable<PartitionedRateLimiter<HttpContext>> Limiters => [_perOperator, _atOnce];

    /// <summary>Whether the request uploads files.</summary>
    public static bool Applies(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method)
        && context.Request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true;

    // Upload pages are for operators only (authorization has run): the account, or the client otherwise.
    private static string OperatorKey(HttpContext context) =>
        OperatorSessions.AccountId(context.User) is { } id ? "operator:" + id.ToString(CultureInfo.InvariantCulture) : "client:" + RateLimits.ClientKey(context);

    public void Dispose()
    {
        _perOperator.Dispose();
        _atOnce.Dispose();
    }
}
