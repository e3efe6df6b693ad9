using Barometre.Web.Accessibility;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Barometre.Web.Pages.Accessibility;

/// <summary>
/// The accessibility statement, in the form of the RGAA's model: the status the RGAA's rule gives from the operator's
/// audit (<see cref="Conformity"/>), the automated checks' results as the browser tests recorded them
/// (<see cref="AccessibilityRecord"/>), what is not accessible, how the statement was made, whom to contact and the
/// remedies.
/// </summary>
public sealed class IndexModel(WebOptions options) : PageModel
{
    /// <summary>The operator's settings.</summary>
    public AccessibilityOptions Settings => options.Accessibility;

    /// <summary>What the automated checks measured.</summary>
    public AccessibilityRecord Record => AccessibilityRecord.Shipped;

    /// <summary>The status the RGAA's rule gives.</summary>
    public ConformityStatus Status => Conformity.Of(Settings.Audit);

    /// <summary>The record's date, read.</summary>
    public DateOnly? RecordDate => DateOnly.TryParseExact(Record.Date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day) ? day : null;

    public void OnGet()
    {
    }
}
