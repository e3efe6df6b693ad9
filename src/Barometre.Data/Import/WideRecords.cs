using System.Runtime.CompilerServices;

namespace Barometre.Data.Import;

/// <summary>
/// The records of a wide table as the responses and panel imports read them, whatever the file: the header first, then
/// one record per collectivité, each a row of text cells with its line (or sheet row) for problems. Implemented by
/// structures, so that the import's loops are compiled for each source and the CSV's stay as fast as its reader.
/// </summary>
internal interface IWideRecords
{
    /// <summary>Whether text cells may carry the apostrophe CSV exports put before a formula (<see cref="Export.CsvCells"/>).</summary>
    static abstract bool TextsEscaped { get; }

    /// <summary>The number of cells of the current record.</summary>
    int Count { get; }

    /// <summary>The line (CSV) or row (sheet) of the current record, as problems name it.</summary>
    int Line { get; }

    /// <summary>A cell of the current record, as text; valid until the next <see cref="Read"/>.</summary>
    ReadOnlySpan<char> this[int index] { get; }

    /// <summary>Reads the next record; false at the end, or where reading had to stop (<see cref="ReportStop"/>).</summary>
    bool Read();

    /// <summary>Reports text that could not be decoded in the current record; false when it holds some.</summary>
    bool CheckText(ResponsesCsv.Problems problems);

    /// <summary>
    /// Whether the current record has the header's <paramref name="columns"/>, reporting why not; once true,
    /// <see cref="Count"/> is <paramref name="columns"/>.
    /// </summary>
    bool CheckShape(int columns, ResponsesCsv.Problems problems);

    /// <summary>Reports why reading stopped before the end, if it did; false when it did not.</summary>
    bool ReportStop(ResponsesCsv.Problems problems);

    /// <summary>How many records probably follow, to size the tables once; 0 when unknown.</summary>
    int EstimateRecords(int minimumRecordLength);
}

/// <summary>The records of a CSV, as <see cref="CsvRecordReader"/> splits them.</summary>
internal readonly struct CsvRecords(CsvRecordReader reader, char delimiter, long textBytes) : IWideRecords
{
    public static bool TextsEscaped => true;

    public int Count
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => reader.Count;
    }

    public int Line => reader.RawRow;

    public ReadOnlySpan<char> this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => reader[index];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Read() => reader.Read();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool CheckText(ResponsesCsv.Problems problems) =>
        !reader.RawRecord.Contains('\uFFFD') || ResponsesCsv.CheckEncoding(reader, reader.RawRow, problems);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool CheckShape(int columns, ResponsesCsv.Problems problems)
    {
        if (reader.Count == columns && !reader.QuoteLeftOpen)
        {
            return true;
        }
        ResponsesCsv.AddFieldCountProblem(reader, columns, delimiter, reader.RawRow, problems);
        return false;
    }

    public bool ReportStop(ResponsesCsv.Problems problems)
    {
        if (reader.OverlongRecordLine is not { } overlong)
        {
            return false;
        }
        problems.Add(overlong, null, ResponsesCsv.OverlongRecordMessage);
        return true;
    }

    public int EstimateRecords(int minimumRecordLength) => textBytes > 0 ? reader.EstimateRecords(textBytes, minimumRecordLength) : 0;
}

/// <summary>The records of a workbook's sheet, as <see cref="SheetRows"/> reads them.</summary>
internal readonly struct WorkbookRecords(SheetRows rows) : IWideRecords
{
    public static bool TextsEscaped => false;

    public int Count => rows.Count;

    public int Line => rows.Row;

    public ReadOnlySpan<char> this[int index] => rows[index];

    public bool Read() => rows.Read();

    public bool CheckText(ResponsesCsv.Problems problems) => true;

    public bool CheckShape(int columns, ResponsesCsv.Problems problems)
    {
        if (rows.FirstCellBeyond(columns) is not { } beyond)
        {
            rows.Count = columns;
            return true;
        }
        problems.Add(rows.Row, beyond + 1, problems.IsFull ? "" :
            $"valeur « {TextRules.Quote(rows[beyond].ToString())} » dans une colonne sans nom : la ligne d'en-tête nomme {columns} colonnes (A à {InputProblem.ColumnLetters(columns)})");
        return false;
    }

    public bool ReportStop(ResponsesCsv.Problems problems)
    {
        if (rows.Failure is not { } failure)
        {
            return false;
        }
        problems.Add(rows.Row, null, failure);
        return true;
    }

    public int EstimateRecords(int minimumRecordLength) => 0;
}
