using System.Data.Common;
using Barometre.Data.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Barometre.Data.Campaigns;

/// <summary>
/// Rows written in bulk in the caller's transaction, past the change tracker: what importing the answers of a
/// national panel needs (millions of answers and as many audit entries, where the change tracker costs about 0.1 ms
/// and a kilobyte a row). Inserts go by binary COPY on PostgreSQL and by one prepared statement on SQLite; answers
/// change by version-checked updates. Tables, columns and value conversions come from the EF model, so rows are
/// stored as SaveChanges would store them.
/// </summary>
internal static class BulkWrites
{
    /// <summary>Inserts <paramref name="rows"/> (their generated keys are not read back).</summary>
    public static async Task InsertAsync<TEntity>(BarometreDbContext db, IReadOnlyList<TEntity> rows, CancellationToken cancellationToken)
        where TEntity : class
    {
        if (rows.Count == 0)
        {
            return;
        }
        var table = Table.Of<TEntity>(db, property => property.ValueGenerated != ValueGenerated.OnAdd);
        var names = string.Join(", ", table.Columns.Select(column => column.Name));
        if (db.Database.GetDbConnection() is NpgsqlConnection postgres)
        {
            await using var import = await postgres.BeginBinaryImportAsync($"COPY {table.Name} ({names}) FROM STDIN (FORMAT BINARY)", cancellationToken);
            foreach (var row in rows)
            {
                StartRow(import, table.Columns, row);
            }
            await import.CompleteAsync(cancellationToken);
            return;
        }
        await using var command = Command(db, $"INSERT INTO {table.Name} ({names}) VALUES ({string.Join(", ", table.Columns.Select((_, i) => $"@p{i}"))})", table.Columns);
        foreach (var row in rows)
        {
            for (var i = 0; i < table.Columns.Length; i++)
            {
                command.Parameters[i].Value = table.Columns[i].ValueOf(row) ?? DBNull.Value;
            }
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Writes the new level, mark, version and authorship of answers already stored, each only if its version is
    /// still <c>PreviousVersion</c>; otherwise nothing is written and the caller's transaction must be abandoned.
    /// </summary>
    /// <exception cref="DbUpdateConcurrencyException">An answer changed since it was read.</exception>
    public static async Task UpdateAnswersAsync(BarometreDbContext db, IReadOnlyList<(Answer Answer, int PreviousVersion)> updates, CancellationToken cancellationToken)
    {
        if (updates.Count == 0)
        {
            return;
        }
        string[] changed = [nameof(Answer.Level), nameof(Answer.Mark), nameof(Answer.Version), nameof(Answer.UpdatedAt), nameof(Answer.UpdatedBy)];
        var answers = Table.Of<Answer>(db, property => changed.Contains(property.Name) || property.Name == nameof(Answer.Id));
        var id = answers.Column(nameof(Answer.Id));
        var version = answers.Column(nameof(Answer.Version));
        var set = answers.Columns.Where(column => column != id).ToArray();
        int updated;
        if (db.Database.GetDbConnection() is NpgsqlConnection postgres)
        {
            // One COPY into a temporary table and one UPDATE: a statement per answer would cost a round trip each.
            var staging = db.GetService<ISqlGenerationHelper>().DelimitIdentifier("answer_updates");
            var previous = db.GetService<ISqlGenerationHelper>().DelimitIdentifier("previous_version");
            await using (var create = Command(db, $"CREATE TEMPORARY TABLE {staging} ({string.Join(", ", answers.Columns.Select(c => $"{c.Name} {c.FullStoreType}"))}, {previous} integer) ON COMMIT DROP", []))
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
            await using (var import = await postgres.BeginBinaryImportAsync($"COPY {staging} ({string.Join(", ", answers.Columns.Select(c => c.Name))}, {previous}) FROM STDIN (FORMAT BINARY)", cancellationToken))
            {
                foreach (var (answer, previousVersion) in updates)
                {
                    StartRow(import, answers.Columns, answer);
                    import.Write(previousVersion, "integer");
                }
                await import.CompleteAsync(cancellationToken);
            }
            await using var update = Command(db,
                $"UPDATE {answers.Name} SET {string.Join(", ", set.Select(c => $"{c.Name} = u.{c.Name}"))} FROM {staging} u "
                + $"WHERE {answers.Name}.{id.Name} = u.{id.Name} AND {answers.Name}.{version.Name} = u.{previous}", []);
            updated = await update.ExecuteNonQueryAsync(cancellationToken);
        }
        else
        {
            Column[] parameters = [.. set, id, version];
            await using var update = Command(db,
                $"UPDATE {answers.Name} SET {string.Join(", ", set.Select((c, i) => $"{c.Name} = @p{i}"))} WHERE {id.Name} = @p{set.Length} AND {version.Name} = @p{set.Length + 1}",
                parameters);
            updated = 0;
            foreach (var (answer, previousVersion) in updates)
            {
                for (var i = 0; i < set.Length; i++)
                {
                    update.Parameters[i].Value = set[i].ValueOf(answer) ?? DBNull.Value;
                }
                update.Parameters[set.Length].Value = id.ValueOf(answer);
                update.Parameters[set.Length + 1].Value = previousVersion;
                updated += await update.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        if (updated != updates.Count)
        {
            throw new DbUpdateConcurrencyException(
                $"{updates.Count - updated} réponse(s) modifiée(s) pendant l'import : rien n'est importé ; relancez l'import.");
        }
    }

    /// <summary>Starts a row of a binary COPY with the columns' values of <paramref name="row"/>.</summary>
    /// <remarks>Synchronous writes: they only fill a buffer, flushed when full; awaiting each value costs more.</remarks>
    private static void StartRow(NpgsqlBinaryImporter import, Column[] columns, object row)
    {
        import.StartRow();
        foreach (var column in columns)
        {
            if (column.ValueOf(row) is { } value)
            {
                import.Write(value, column.StoreType);
            }
            else
            {
                import.WriteNull();
            }
        }
    }

    /// <summary>A command in the context's connection and transaction, its parameters typed as EF would type them.</summary>
    private static DbCommand Command(BarometreDbContext db, string sql, IReadOnlyList<Column> parameters)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Bulk writes run inside the caller's transaction.");
        for (var i = 0; i < parameters.Count; i++)
        {
            command.Parameters.Add(parameters[i].Mapping.CreateParameter(command, $"@p{i}", null, nullable: true));
        }
        return command;
    }

    /// <summary>An entity's table and the columns written, from the EF model.</summary>
    private sealed record Table(string Name, Column[] Columns)
    {
        public static Table Of<TEntity>(BarometreDbContext db, Func<IProperty, bool> written)
        {
            var entity = db.Model.FindEntityType(typeof(TEntity)) ?? throw new InvalidOperationException($"{typeof(TEntity)} is not in the model.");
            var name = entity.GetTableName()!;
            var store = StoreObjectIdentifier.Table(name, entity.GetSchema());
            var sql = db.GetService<ISqlGenerationHelper>();
            return new Table(
                sql.DelimitIdentifier(name, entity.GetSchema()),
                [.. entity.GetProperties().Where(written).Select(property => new Column(
                    sql.DelimitIdentifier(property.GetColumnName(store)!),
                    property,
                    property.GetRelationalTypeMapping()))]);
        }

        public Column Column(string property) => Columns.Single(column => column.Property.Name == property);
    }

    /// <summary>A column: its delimited name, its property and the type mapping that converts and types its values.</summary>
    private sealed record Column(string Name, IProperty Property, RelationalTypeMapping Mapping)
    {
        private readonly IClrPropertyGetter _getter = Property.GetGetter();

        /// <summary>The store's base type name (without length), as Npgsql names types.</summary>
        public string StoreType => Mapping.StoreTypeNameBase;

        /// <summary>The store's full type name, for a table of the same shape.</summary>
        public string FullStoreType => Mapping.StoreType;

        /// <summary>The value as the database stores it (after the model's conversions), or null.</summary>
        public object? ValueOf(object entity)
        {
            var value = _getter.GetClrValueUsingContainingEntity(entity);
            return value is null ? null : Mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value;
        }
    }
}
