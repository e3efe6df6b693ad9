using System.Data.Common;
using System.Globalization;
using Barometre.Data.Storage;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Testing;

/// <summary>One cell of a table, by its row's key and its column.</summary>
/// <param name="Table">The table's name.</param>
/// <param name="Key">The row's primary key, its columns' values joined by « / ».</param>
/// <param name="Column">The column's name.</param>
/// <param name="Value">The value as invariant text, or null.</param>
public sealed record DumpCell(string Table, string Key, string Column, string? Value);

/// <summary>A cell that differs between two dumps: <paramref name="Before"/> null for a row added, <paramref name="After"/> null for one removed.</summary>
public sealed record CellChange(string Table, string Key, string Column, string? Before, string? After, bool RowAdded, bool RowRemoved);

/// <summary>
/// Every cell of every table of the app's model, read with plain SQL (so that nothing the app's mapping does hides a
/// value): what the tests of an erasure compare before and after, column by column.
/// </summary>
public sealed class DatabaseDump
{
    private readonly Dictionary<(string Table, string Key), Dictionary<string, string?>> _rows;

    private DatabaseDump(Dictionary<(string Table, string Key), Dictionary<string, string?>> rows) => _rows = rows;

    /// <summary>Every cell, table by table and row by row.</summary>
    public IEnumerable<DumpCell> Cells => _rows.SelectMany(row => row.Value.Select(cell => new DumpCell(row.Key.Table, row.Key.Key, cell.Key, cell.Value)));

    /// <summary>Reads every table of <paramref name="db"/>'s model.</summary>
    public static async Task<DatabaseDump> ReadAsync(BarometreDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = new Dictionary<(string, string), Dictionary<string, string?>>();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            foreach (var entity in db.Model.GetEntityTypes().Where(e => e.GetTableName() is not null && e.FindPrimaryKey() is not null))
            {
                var table = entity.GetTableName()!;
                var key = entity.FindPrimaryKey()!.Properties.Select(p => p.GetColumnName()).ToList();
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT * FROM \"{table}\"";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var cells = new Dictionary<string, string?>(StringComparer.Ordinal);
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        cells[reader.GetName(i)] = Text(reader, i);
                    }
                    rows[(table, string.Join("/", key.Select(column => cells[column])))] = cells;
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        return new DatabaseDump(rows);
    }

    /// <summary>Every cell that differs in <paramref name="after"/>, rows added and removed included (each of their cells).</summary>
    public IReadOnlyList<CellChange> ChangesTo(DatabaseDump after)
    {
        ArgumentNullException.ThrowIfNull(after);
        var changes = new List<CellChange>();
        foreach (var (row, cells) in _rows)
        {
            if (!after._rows.TryGetValue(row, out var later))
            {
                changes.AddRange(cells.Select(cell => new CellChange(row.Table, row.Key, cell.Key, cell.Value, null, RowAdded: false, RowRemoved: true)));
                continue;
            }
            changes.AddRange(cells.Where(cell => later.GetValueOrDefault(cell.Key) != cell.Value)
                .Select(cell => new CellChange(row.Table, row.Key, cell.Key, cell.Value, later.GetValueOrDefault(cell.Key), RowAdded: false, RowRemoved: false)));
        }
        foreach (var (row, cells) in after._rows.Where(row => !_rows.ContainsKey(row.Key)))
        {
            changes.AddRange(cells.Select(cell => new CellChange(row.Table, row.Key, cell.Key, null, cell.Value, RowAdded: true, RowRemoved: false)));
        }
        return changes;
    }

    private static string? Text(DbDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }
        return reader.GetValue(ordinal) switch
        {
            byte[] bytes => Convert.ToBase64String(bytes),
            DateTime time => time.ToString("O", CultureInfo.InvariantCulture),
            var value => Convert.ToString(value, CultureInfo.InvariantCulture),
        };
    }
}
