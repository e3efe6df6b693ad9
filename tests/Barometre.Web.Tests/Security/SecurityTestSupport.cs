using System.Collections.Concurrent;
using System.Net;
using Barometre.Data.Campaigns;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Barometre.Web.Tests.Security;

/// <summary>
/// Browsers that come from their own network address, so that the per-client limits one test spends never reach
/// another test of the same app.
/// </summary>
internal static class RemoteClients
{
    private static int s_next;

    /// <summary>An address no other test uses (10.x.y.z).</summary>
    public static string NewAddress()
    {
        var n = Interlocked.Increment(ref s_next);
        return $"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}";
    }

    /// <summary>A new browser on <paramref name="app"/> (no automatic redirects, its own cookies) from a new address.</summary>
    public static HttpClient Browser(this BarometreApp app, string? address = null) => From(app.Client(), address);

    /// <summary>A new browser on a derived app (see <see cref="SecurityApps"/>) from a new address.</summary>
    public static HttpClient Browser(this WebApplicationFactory<Program> app, string? address = null) =>
        From(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }), address);

    private static HttpClient From(HttpClient client, string? address)
    {
        client.DefaultRequestHeaders.Add(BarometreApp.RemoteAddressHeader, address ?? NewAddress());
        return client;
    }

    /// <summary>Posts the sign-in form and returns the status and the page's alert (null when there is none).</summary>
    public static async Task<(HttpStatusCode Status, string? Alert)> SignInAsync(HttpClient client, string email, string password, CancellationToken cancellationToken)
    {
        using var response = await BarometreApp.PostSignInAsync(client, email, password, cancellationToken: cancellationToken);
        var page = await Html.ParseAsync(response, cancellationToken);
        return (response.StatusCode, page.QuerySelector("[role=alert]")?.TextContent.Trim());
    }
}

/// <summary>Apps derived from a test class's app (same database, same clock) with other services or settings.</summary>
internal static class SecurityApps
{
    /// <summary>The class's app with these <c>Barometre:…</c> settings and this password hasher.</summary>
    public static WebApplicationFactory<Program> With(BarometreApp app, IPasswordHasher<OperatorAccount>? hasher = null, params (string Key, string Value)[] settings) =>
        app.WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
            if (hasher is not null)
            {
                builder.ConfigureTestServices(services => services.AddSingleton(hasher));
            }
        });
}

/// <summary>
/// Identity's hasher, recording whose hash each verification was against (the account's address, or « » for the
/// decoy of refused attempts), and optionally holding every verification until <see cref="Release"/>.
/// </summary>
internal sealed class CountingHasher(bool hold = false) : IPasswordHasher<OperatorAccount>, IDisposable
{
    private static readonly PasswordHasher<OperatorAccount> Real = new();
    private readonly ManualResetEventSlim _open = new(!hold);
    private readonly SemaphoreSlim _entered = new(0);

    /// <summary>The address of each verification's account, in order; « » for the decoy.</summary>
    public ConcurrentQueue<string> Verified { get; } = new();

    /// <summary>Lets held verifications run.</summary>
    public void Release() => _open.Set();

    /// <summary>Waits until a verification has begun.</summary>
    public Task<bool> EnteredAsync(TimeSpan timeout) => _entered.WaitAsync(timeout);

    public string HashPassword(OperatorAccount user, string password) => Real.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(OperatorAccount user, string hashedPassword, string providedPassword)
    {
        Verified.Enqueue(user.Email);
        _entered.Release();
        _open.Wait(TimeSpan.FromSeconds(30));
        return Real.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }

    public void Dispose()
    {
        _open.Dispose();
        _entered.Dispose();
    }
}
