namespace Barometre.Data.Export.OpenData;

/// <summary>The Table Schema types the package's columns use.</summary>
public enum OpenDataType
{
    /// <summary>Text (<c>string</c>).</summary>
    Text,

    /// <summary>A whole number (<c>integer</c>).</summary>
    WholeNumber,

    /// <summary>A decimal number with a point (<c>number</c>).</summary>
    DecimalNumber,

    /// <summary><c>true</c> or <c>false</c> (<c>boolean</c>).</summary>
    TrueFalse,
}

/// <summary>A column of a table: its name in the CSV header, its Table Schema type and its French title and description.</summary>
/// <param name="Name">The name, as in the header.</param>
/// <param name="Type">The type of its values.</param>
/// <param name="Title">A short French title.</param>
/// <param name="Description">What a value means, in French.</param>
/// <param name="Required">Whether every row has a value (keys and counts that are never secret).</param>
public sealed record OpenDataField(string Name, OpenDataType Type, string Title, string Description, bool Required = false)
{
    /// <summary>The type's name in a Table Schema.</summary>
    public string SchemaType => Type switch
    {
        OpenDataType.WholeNumber => "integer",
        OpenDataType.DecimalNumber => "number",
        OpenDataType.TrueFalse => "boolean",
        _ => "string",
    };
}

/// <summary>A foreign key: columns of this table that name a row of another table of the package.</summary>
/// <param name="Fields">The columns of this table.</param>
/// <param name="Resource">The other table's name.</param>
/// <param name="ReferencedFields">Its columns (its primary key).</param>
public sealed record OpenDataForeignKey(IReadOnlyList<string> Fields, string Resource, IReadOnlyList<string> ReferencedFields);

/// <summary>One table of the package: a CSV file and its Table Schema.</summary>
/// <param name="Name">The resource name; the file is <c>Name.csv</c>.</param>
/// <param name="Title">Its French title.</param>
/// <param name="Description">What a row is, in French.</param>
/// <param name="Fields">The columns, in order.</param>
/// <param name="PrimaryKey">The columns whose values identify a row.</param>
/// <param name="ForeignKeys">Its references to other tables.</param>
/// <param name="Rows">Its rows, one cell per field.</param>
public sealed record OpenDataTable(
    string Name,
    string Title,
    string Description,
    IReadOnlyList<OpenDataField> Fields,
    IReadOnlyList<string> PrimaryKey,
    IReadOnlyList<OpenDataForeignKey> ForeignKeys,
    IReadOnlyList<IReadOnlyList<TableCell>> Rows)
{
    private byte[]? _content;

    /// <summary>The file name in the package.</summary>
    public string Path => Name + ".csv";

    /// <summary>The package's CSV: UTF-8 without byte-order mark, comma-separated, one header line, lines ended by <c>\n</c>.</summary>
    public byte[] Content => _content ??= Write(TableFormat.Csv);

    /// <summary>The table in <paramref name="format"/>: the package's CSV, a French-Excel CSV or a workbook of one sheet.</summary>
    public byte[] Write(TableFormat format)
    {
        using var buffer = new MemoryStream();
        TableWriter.Write(buffer, format, new TableLayout(Name, CsvByteOrderMark: false), [.. Fields.Select(field => field.Name)], Rows);
        return buffer.ToArray();
    }
}
