using System.Globalization;
using System.Text;
using Barometre.Data.Export;
using CsvHelper;
using CsvHelper.Configuration;

namespace Barometre.Data.Campaigns;

/// <summary>
/// Issued links as CSV for a mail merge: <c>code, nom, email, link</c>, UTF-8 with a BOM (spreadsheets
/// open it right), comma-separated, quoted as needed, texts written as <see cref="CsvCells"/> says so that none opens
/// as a formula. The page's download and the CLI write the same file.
/// </summary>
public static class InvitationLinksCsv
{
    /// <summary>The link of a token under a site's root address: <c>{root}/q/{token}</c>.</summary>
    public static string Link(Uri root, string token)
    {
        ArgumentNullException.ThrowIfNull(root);
        return $"{root.ToString().TrimEnd('/')}/q/{token}";
    }

    /// <summary>Writes the links of <paramref name="issued"/> under <paramref name="root"/>.</summary>
    public static void Write(Stream stream, IReadOnlyList<IssuedInvitation> issued, Uri root)
    {
        ArgumentNullException.ThrowIfNull(issued);
        using var text = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true);
        using var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\r\n" });
        foreach (var header in new[] { "code", "nom", "email", "link" })
        {
            csv.WriteField(header);
        }
        csv.NextRecord();
        foreach (var invitation in issued)
        {
            csv.WriteText(invitation.Code);
            csv.WriteText(invitation.Name);
            csv.WriteText(invitation.Email);
            csv.WriteText(Link(root, invitation.Token));
            csv.NextRecord();
        }
    }
}
