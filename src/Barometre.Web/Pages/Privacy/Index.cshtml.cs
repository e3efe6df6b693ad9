using Barometre.Data.Privacy;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Barometre.Web.Pages.Privacy;

/// <summary>
/// The privacy notice (« Données personnelles »), linked from every page's footer and from wherever names and addresses
/// are collected: who the controller is, what is kept and why, for how long, who receives it, the rights and whom to ask.
/// Its texts come from <c>Barometre:Privacy</c> (<see cref="PrivacyOptions"/>) and <see cref="PersonalData"/>.
/// </summary>
public sealed class IndexModel(WebOptions options) : PageModel
{
    /// <summary>The processing as configured.</summary>
    public PrivacyOptions Privacy => options.Privacy;

    public void OnGet()
    {
    }

    /// <summary>A contact's link: <c>mailto:</c> for an e-mail address, the address itself for a web page.</summary>
    public static string ContactHref(string contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        return contact.Contains('@', StringComparison.Ordinal) && !contact.Contains("://", StringComparison.Ordinal) ? $"mailto:{contact}" : contact;
    }
}
