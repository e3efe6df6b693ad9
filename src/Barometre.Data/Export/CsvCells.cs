using CsvHelper;

namespace Barometre.Data.Export;

/// <summary>
/// How every CSV export writes a text cell so that a spreadsheet never runs it as a formula (« CSV injection »,
/// OWASP): a text that starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return, possibly
/// after apostrophes, is written with one more apostrophe in front, which spreadsheets show as text and never
/// evaluate. Numbers (levels, counts, shares, populations) are written as numbers, never through this.
/// </summary>
/// <remarks>
/// The rule is reversible: <see cref="ReadText"/> removes exactly the apostrophe <see cref="Text"/> added, so
/// that an exported responses file imported again, and the closing snapshot read back, give the same values
/// (« -Est » is written « '-Est » and read « -Est »; « '-Est » is written « ''-Est » and read « '-Est »).
/// </remarks>
public static class CsvCells
{
    /// <summary>The character put in front of a text a spreadsheet would take for a formula.</summary>
    public const char Escape = '\'';

    /// <summary>A text cell as exports write it.</summary>
    public static string Text(string? value) =>
        string.IsNullOrEmpty(value) ? "" : NeedsEscape(value) ? Escape + value : value;

    /// <summary>A text cell of an imported file, without the apostrophe <see cref="Text"/> adds.</summary>
    public static ReadOnlySpan<char> ReadText(ReadOnlySpan<char> cell) =>
        cell.Length > 1 && cell[0] == Escape && NeedsEscape(cell[1..]) ? cell[1..] : cell;

    /// <summary>Writes a text cell (<see cref="Text"/>).</summary>
    public static void WriteText(this CsvWriter csv, string? value)
    {
        ArgumentNullException.ThrowIfNull(csv);
        csv.WriteField(Text(value));
    }

    /// <summary>Whether the text, after its leading apostrophes, starts with a character that opens a formula.</summary>
    private static bool NeedsEscape(ReadOnlySpan<char> text)
    {
        var start = text.IndexOfAnyExcept(Escape);
        return start >= 0 && text[start] is '=' or '+' or '-' or '@' or '\t' or '\r';
    }
}
