using Barometre.Data.Privacy;
using Microsoft.AspNetCore.Mvc;

namespace Barometre.Web.Pages.Admin.Register;

/// <summary>
/// The processing's entry in the controller's register (<see cref="PrivacyRegister"/>): shown, and downloaded as CSV,
/// French-Excel CSV or workbook (<c>?handler=Csv&amp;format=</c>), as <c>barometre privacy register</c> writes it.
/// </summary>
public sealed class RegisterModel(PrivacyRegister register, WebOptions options) : AdminPage
{
    /// <summary>The entry's fields.</summary>
    public IReadOnlyList<RegisterField> Fields { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Fields = await register.EntryAsync(options.Privacy, cancellationToken);

    /// <summary>The entry as a table of two columns (rubrique, contenu).</summary>
    public async Task<IActionResult> OnGetCsvAsync(string? format, CancellationToken cancellationToken)
    {
        if (TableDownloads.Parse(format) is not { } table)
        {
            return BadRequest(TableDownloads.UnknownFormat(format));
        }
        var fields = await register.EntryAsync(options.Privacy, cancellationToken);
        Response.Headers.CacheControl = "no-store";
        return TableDownloads.File(table, "registre-traitement", buffer => PrivacyRegister.Write(buffer, table, fields));
    }
}
