using Barometre.Core.Responses;

namespace Barometre.Data.Import;

/// <summary>A collectivité of a campaign's panel and where to send its invitation.</summary>
/// <param name="Respondent">Code, name, type, population and region.</param>
/// <param name="Email">The invitation's address, or null.</param>
public sealed record PanelEntry(Respondent Respondent, string? Email);

/// <summary>
/// Imports a campaign's panel from CSV or a workbook (.xlsx): <c>code</c>, <c>nom</c>, optional <c>type</c>, <c>population</c>,
/// <c>region</c>, <c>email</c>. Same format rules and error reporting as the responses import
/// (<see cref="ResponsesCsv"/>): separator, encoding, every problem with its line and column (a workbook's: sheet, row
/// and column letter), all or nothing.
/// </summary>
public static class PanelCsv
{
    /// <summary>
    /// Reads a panel from a stream (CSV or .xlsx); <paramref name="source"/> names it in problems; <paramref name="sheet"/>:
    /// a workbook's sheet, the first by default.
    /// </summary>
    public static ImportResult<IReadOnlyList<PanelEntry>> Read(Stream stream, string source, string? sheet = null)
    {
        var table = ResponsesCsv.ReadTable(stream, source, model: null, allowEmail: true, sheet);
        return table.Value is { } read
            ? ImportResult.Success<IReadOnlyList<PanelEntry>>([.. read.Rows.Select(row => new PanelEntry(row.Respondent, row.Email))])
            : ImportResult.Failure<IReadOnlyList<PanelEntry>>(table.Problems, table.ProblemCount);
    }

    /// <summary>Reads a panel from a file (CSV or .xlsx; <paramref name="sheet"/>: a workbook's sheet, the first by default).</summary>
    public static ImportResult<IReadOnlyList<PanelEntry>> Load(string path, string? sheet = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        try
        {
            using var stream = File.OpenRead(path);
            return Read(stream, path, sheet);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ImportResult.Failure<IReadOnlyList<PanelEntry>>([new InputProblem(path, null, null, $"lecture impossible : {e.Message}")]);
        }
    }
}
