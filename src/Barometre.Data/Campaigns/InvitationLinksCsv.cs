using Barometre.Data.Export;

namespace Barometre.Data.Campaigns;

/// <summary>
/// Issued links for a mail merge: <c>code, nom, email, link</c>; as CSV, UTF-8 with a BOM (spreadsheets
/// open it right), comma-separated, CRLF, quoted as needed, or as French-Excel CSV or .xlsx (<see cref="TableWriter"/>,
/// so that no text opens as a formula). The page's download and the CLI write the same file.
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
    public static void Write(Stream stream, IReadOnlyList<IssuedInvitation> issued, Uri root, TableFormat format = TableFormat.Csv)
    {
        ArgumentNullException.ThrowIfNull(issued);
        TableWriter.Write(stream, format, Layout, ["code", "nom", "email", "link"], issued.Select(invitation => new[]
        {
            TableCell.Text(invitation.Code),
            TableCell.Text(invitation.Name),
            TableCell.Text(invitation.Email),
            TableCell.Text(Link(root, invitation.Token)),
        }));
    }

    private static readonly TableLayout Layout = new("liens", CsvNewLine: "\r\n");
}
