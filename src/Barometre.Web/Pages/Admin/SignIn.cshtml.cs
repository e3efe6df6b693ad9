using Barometre.Data;
using Barometre.Data.Campaigns;
using Barometre.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Barometre.Web.Pages.Admin;

/// <summary>
/// The operators' sign-in. Every refusal — unknown address, wrong password, locked or disabled account — gets the
/// same page after the same work; the limits of <see cref="SignInLimits"/> hold floods back.
/// </summary>
[SignInEndpoint]
public sealed partial class SignInModel(OperatorAccounts accounts, SignInLimits limits, TrustedDevices devices, ILogger<SignInModel> logger) : PageModel
{
    /// <summary>The one answer to every refused sign-in.</summary>
    public const string Refused = "Connexion refusée : adresse ou mot de passe incorrect, ou compte momentanément bloqué après plusieurs essais infructueux.";

    [BindProperty]
    public string Email { get; set; } = "";

    [BindProperty]
    public string Password { get; set; } = "";

    [FromQuery(Name = "ReturnUrl")]
    public string? ReturnUrl { get; set; }

    /// <summary>1 after a sign-out (« ?deconnexion=1 »).</summary>
    [FromQuery(Name = "deconnexion")]
    public int SignedOut { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        // The middleware read the form before the limits: the address they counted is the one checked here.
        var attempt = SignInAttempt.Of(HttpContext) ?? throw new InvalidOperationException("The sign-in limits are not in the pipeline (UseBarometreRateLimits).");
        using var check = await limits.AcquirePasswordCheckAsync(cancellationToken);
        if (!check.IsAcquired)
        {
            Response.Headers.RetryAfter = "1";
            return StatusCode(StatusCodes.Status503ServiceUnavailable);
        }
        var outcome = await accounts.SignInAsync(attempt.Address ?? "", Password, attempt.Device is not null, cancellationToken);
        if (outcome is SignInOutcome.Success { Account: var account })
        {
            devices.Trust(HttpContext, account.Email, attempt.Device);
            await HttpContext.SignInAsync(WebSetup.OperatorScheme, OperatorSessions.Principal(account));
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/admin");
        }
        limits.RecordFailure(HttpContext);
        if (logger.IsEnabled(LogLevel.Information))
        {
            // Typed by anyone: quoted, so that the log never carries a raw control character.
            var address = TextRules.Quote(attempt.Address ?? Email);
            LogRefused(logger, address, ((SignInOutcome.Failure)outcome).Reason);
        }
        Error = Refused;
        Password = "";
        return Page();
    }

    // Until operators are told by e-mail, the server's log is where a lock or a flood shows.
    [LoggerMessage(Level = LogLevel.Information, Message = "Connexion refusée pour « {Address} » ({Reason}).")]
    private static partial void LogRefused(ILogger logger, string address, SignInRefusal reason);
}
