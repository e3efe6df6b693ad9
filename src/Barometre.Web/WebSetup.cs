using System.Net;
using Barometre.Data.Storage;
using Barometre.Web.Api;
using Barometre.Web.Publication;
using Barometre.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.FileProviders;

namespace Barometre.Web;

/// <summary>Settings of the web app, bound from the « Barometre » configuration section.</summary>
public sealed class WebOptions
{
    /// <summary>The data folder (the SQLite file lives there).</summary>
    public string DataDirectory { get; set; } = "barometre-data";

    /// <summary>A PostgreSQL connection string; empty for SQLite (or the BAROMETRE_DATABASE variable).</summary>
    public string? Database { get; set; }

    /// <summary>Addresses of reverse proxies whose X-Forwarded-* headers are trusted (loopback always is).</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks (CIDR, « 10.0.0.0/8 ») of trusted reverse proxies.</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>The limits against floods and guessing (« Barometre:RateLimits »).</summary>
    public RateLimitOptions RateLimits { get; set; } = new();

    /// <summary>The mail server invitations and reminders leave through (« Barometre:Smtp »); none by default.</summary>
    public Data.Mail.SmtpOptions Smtp { get; set; } = new();

    /// <summary>The mailbox bounces come back to (« Barometre:Imap »); none by default.</summary>
    public Data.Mail.ImapOptions Imap { get; set; } = new();

    /// <summary>Sign-in through ProConnect or another OpenID Connect provider (« Barometre:Oidc »); none by default.</summary>
    public OidcOptions Oidc { get; set; } = new();

    /// <summary>What the accessibility statement says of the operator and its audit (« Barometre:Accessibility »).</summary>
    public Accessibility.AccessibilityOptions Accessibility { get; set; } = new();

    /// <summary>The processing of personal data as the privacy notice and the register describe it (« Barometre:Privacy »).</summary>
    public Data.Privacy.PrivacyOptions Privacy { get; set; } = new();
}

/// <summary>The web app's registrations and pipeline, so that Program.cs and <c>barometre serve</c> build the same app.</summary>
public static class WebSetup
{
    /// <summary>The operators' authentication scheme.</summary>
    public const string OperatorScheme = CookieAuthenticationDefaults.AuthenticationScheme;

    /// <summary>Registers everything the app needs.</summary>
    public static WebApplicationBuilder AddBarometreWeb(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection("Barometre").Get<WebOptions>() ?? new WebOptions();
        if (options.Accessibility.Problems().ToList() is { Count: > 0 } accessibilityProblems)
        {
            // The operator's configuration, not a bug: the command line exits with its environment code.
            throw new EnvironmentException("configuration invalide : " + string.Join(Environment.NewLine, accessibilityProblems));
        }
        // Request paths carry invitation tokens: the framework's request logs must never record them.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Data-protection keys sit unencrypted in the database, which is the secret to protect anyway.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        builder.Environment.WebRootFileProvider = new ManifestEmbeddedFileProvider(typeof(WebSetup).Assembly, "wwwroot");
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddBarometreData(DatabaseSettings.From(options.DataDirectory, options.Database));
        // Published figures and benchmarks: every entry counts 1, a few thousand filters at most.
        services.AddMemoryCache(cache => cache.SizeLimit = 10_000);
        services.AddSingleton<SingleFlightCache>();
        services.AddSingleton<FrozenSnapshots>();
        services.AddSingleton<PreviousEditions>();
        services.AddSingleton<PublishedResults>();
        services.AddSingleton<RespondentBenchmarks>();
        services.AddSingleton<ReadinessProbe>();
        services.AddSingleton<Mail.MailDispatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<Mail.MailDispatcher>());
        services.AddSingleton<Privacy.RetentionPurger>();
        services.AddHostedService(provider => provider.GetRequiredService<Privacy.RetentionPurger>());

        // Keys in the database: every instance signs cookies and antiforgery tokens alike.
        services.AddBarometreDataProtection();
        var authentication = services.AddAuthentication(OperatorScheme).AddCookie(OperatorScheme, cookie =>
        {
            cookie.Cookie.Name = "barometre.operateur";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.LoginPath = "/admin/connexion";
            cookie.LogoutPath = "/admin/deconnexion";
            cookie.AccessDeniedPath = "/admin/connexion";
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
            cookie.Events = OperatorSessions.Events;
        }).AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, _ => { });
        if (options.Oidc.IsConfigured)
        {
            authentication.AddProviderSignIn(options.Oidc);
        }
        services.AddOperatorAuthorization();
        services.AddBarometreRateLimits(options.RateLimits);
        // Razor escapes what HTML requires and leaves accented letters as they are.
        services.AddWebEncoders(encoders => encoders.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddRazorPages(pages =>
        {
            pages.Conventions.AuthorizeFolder("/Admin");
            pages.Conventions.AllowAnonymousToPage("/Admin/SignIn");
            pages.Conventions.AllowAnonymousToPage("/Admin/SignOut");
            pages.Conventions.AllowAnonymousToPage("/Admin/ExternalSignIn");
            pages.Conventions.AllowAnonymousToPage("/Admin/Invitation");
            pages.Conventions.ConfigureFilter(new Pages.UnhandledMethodFilter());
            pages.Conventions.ConfigureFilter(new OperatorAccessFilter());
        });
        services.AddResponseCompression(compression =>
        {
            compression.EnableForHttps = true;
            compression.Providers.Add<BrotliCompressionProvider>();
            compression.Providers.Add<GzipCompressionProvider>();
            compression.MimeTypes = [.. ResponseCompressionDefaults.MimeTypes, "image/svg+xml", "application/problem+json"];
        });
        services.Configure<BrotliCompressionProviderOptions>(brotli => brotli.Level = System.IO.Compression.CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(gzip => gzip.Level = System.IO.Compression.CompressionLevel.Fastest);
        services.AddProblemDetails();
        services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Baromètre";
            document.Info.Description = "Résultats publiés (sans clé, secret statistique appliqué), questionnaire et comparatif d'une collectivité (par lien d'invitation), "
                + "état des campagnes et exports pour les opérateurs (clé d'API : barometre apikey add), état du service.";
            return Task.CompletedTask;
        }));
        services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            foreach (var proxy in options.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }
            foreach (var network in options.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return builder;
    }

    /// <summary>Migrates the database and sets up the pipeline and endpoints.</summary>
    public static async Task UseBarometreWebAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // The computation's vector kernels compile while the database migrates, not on the first results request.
        _ = Task.Run(Barometre.Core.Barometer.PrepareKernels);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<BarometreDbContext>().Database.MigrateAsync();
        }

        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/erreur/500");
        }
        app.UseStatusCodePagesWithReExecute("/erreur/{0}");
        app.UseApiErrors();
        app.Use(SecurityHeaders);
        app.UseWhen(CarriesNoSecret, compressed => compressed.UseResponseCompression());
        app.UseStaticFiles(new StaticFileOptions { FileProvider = app.Environment.WebRootFileProvider, OnPrepareResponse = CacheStaticFile });
        app.MapGet("/fonts/source-sans-3.woff2", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            return TypedResults.Bytes(Barometre.Reports.ReportFont.Woff2.ToArray(), "font/woff2");
        }).ExcludeFromDescription();
        app.UseRouting();
        app.UseRequestBodyLimits();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseBarometreRateLimits();
        app.MapHealth();
        app.MapOpenApi();
        app.MapQuestionnaireApi();
        app.MapBenchmarkApi();
        app.MapPublicApi();
        app.MapOpenDataDownloads();
        app.MapOperatorApi();
        app.MapRazorPages();
    }

    /// <summary>
    /// Whether a response may be compressed: only one that holds no secret. Compressing a page that holds a secret
    /// (an antiforgery token, an invitation token, a collectivité's answers) beside text an attacker can put in the
    /// request lets them guess the secret from the compressed sizes (BREACH). So only what readers load is compressed
    /// (Brotli, else gzip) — the public pages, the public API, its reference and the static files, the dashboard's HTML
    /// first — and only for a request with no credential (operator cookie, API key): the questionnaire and the
    /// operators' pages and API never are.
    /// </summary>
    private static bool CarriesNoSecret(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path;
        var isPublic = path == "/" || Array.Exists(PublicPaths, prefix => path.StartsWithSegments(prefix, StringComparison.Ordinal));
        if (!isPublic || request.Headers.ContainsKey("Authorization") || request.Headers.ContainsKey("X-Api-Key"))
        {
            return false;
        }
        foreach (var cookie in request.Cookies)
        {
            if (cookie.Key.StartsWith("barometre.operateur", StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The paths of what readers load (see <see cref="CarriesNoSecret"/>).</summary>
    private static readonly string[] PublicPaths = ["/resultats", "/api/campaigns", "/documentation-api", "/donnees-personnelles", "/openapi", "/css", "/js", "/fonts", "/favicon.svg"];

    /// <summary>
    /// A static file asked for with its content hash (<c>?v=</c>, what <c>asp-append-version</c> writes) never changes under
    /// that address: browsers keep it a year. Without the hash, they ask again each time (a new release may change it).
    /// </summary>
    private static void CacheStaticFile(StaticFileResponseContext context) =>
        context.Context.Response.Headers.CacheControl = context.Context.Request.Query.ContainsKey("v")
            ? "public, max-age=31536000, immutable"
            : "no-cache";

    /// <summary>
    /// Invitation links carry their token in the path: no referrer leaves the site, no page is framed,
    /// and only the site's own scripts and styles run.
    /// </summary>
    private static Task SecurityHeaders(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Content-Type-Options"] = "nosniff";
        headers["X-Frame-Options"] = "DENY";
        headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'";
        return next();
    }
}
