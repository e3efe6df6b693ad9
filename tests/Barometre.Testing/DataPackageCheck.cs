using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Barometre.Testing;

/// <summary>A CSV table of a data package read back: its header and rows, every cell as written.</summary>
public sealed record PackageTable(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    /// <summary>The rows as column → cell.</summary>
    public IEnumerable<IReadOnlyDictionary<string, string>> Records =>
        Rows.Select(row => (IReadOnlyDictionary<string, string>)Header.Select((name, i) => (name, i)).ToDictionary(c => c.name, c => row[c.i], StringComparer.Ordinal));
}

/// <summary>
/// Checks a Frictionless Data Package: the descriptor against the specifications' JSON Schemas (ajv through node, see
/// Frictionless/SOURCES.md), and every CSV against its Table Schema — independently of the code that wrote them.
/// </summary>
public static class DataPackageCheck
{
    /// <summary>Validates <c>datapackage.json</c> with ajv against the Data Package, Data Resource, Table Schema and Table Dialect schemas.</summary>
    /// <remarks>Without node or ajv (npm ci), the test is skipped loudly, or fails with CI=true.</remarks>
    public static void AssertValidDescriptor(byte[] descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var node = ExternalTools.Node();
        var modules = ExternalTools.NodeModules("ajv");
        ExternalTools.NodeModules("ajv-formats");
        var schemas = Path.Combine(AppContext.BaseDirectory, "Frictionless");
        var file = Path.Combine(Path.GetTempPath(), $"datapackage-{Guid.NewGuid():N}.json");
        File.WriteAllBytes(file, descriptor);
        try
        {
            var start = new ProcessStartInfo(node) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(Path.Combine(schemas, "validate.js"));
            start.ArgumentList.Add(schemas);
            start.ArgumentList.Add(file);
            start.Environment["NODE_PATH"] = modules;
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            Assert.True(process.WaitForExit(60_000), "node validate.js did not end within a minute.");
            Assert.True(process.ExitCode == 0 && output.Trim() == "valid",
                $"datapackage.json does not validate against the Frictionless schemas (exit {process.ExitCode}):\n{output}\n{error.Result}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Checks every resource of the package against its descriptor: the file exists, its bytes and hash are those
    /// declared, it is UTF-8 without byte-order mark; the header is the schema's field names in order; each value parses
    /// as its field's type (empty = missing) and required fields have one; the primary key is unique; every foreign key
    /// names an existing row; and on tables with <c>secret_statistique</c>, a secret row has every figure empty and a
    /// published one its counts.
    /// </summary>
    /// <param name="files">Every file of the package by name, the descriptor included.</param>
    /// <returns>The tables read back, by resource name.</returns>
    public static IReadOnlyDictionary<string, PackageTable> AssertTablesConform(IReadOnlyDictionary<string, byte[]> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        using var descriptor = JsonDocument.Parse(files["datapackage.json"]);
        var tables = new Dictionary<string, PackageTable>(StringComparer.Ordinal);
        var resources = descriptor.RootElement.GetProperty("resources").EnumerateArray().ToList();
        Assert.Equal(files.Count - 1, resources.Count);
        foreach (var resource in resources)
        {
            var name = resource.GetProperty("name").GetString()!;
            var path = resource.GetProperty("path").GetString()!;
            Assert.True(files.TryGetValue(path, out var content), $"{path}: declared but not in the package.");
            Assert.Equal(resource.GetProperty("bytes").GetInt64(), content!.Length);
            Assert.Equal(resource.GetProperty("hash").GetString(), "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content)));
            Assert.False(content.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]), $"{path}: starts with a byte-order mark.");
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content);
            var table = Parse(text, path);
            tables.Add(name, table);
            CheckTable(path, resource.GetProperty("schema"), table);
        }
        foreach (var resource in resources)
        {
            var schema = resource.GetProperty("schema");
            if (!schema.TryGetProperty("foreignKeys", out var keys))
            {
                continue;
            }
            var table = tables[resource.GetProperty("name").GetString()!];
            foreach (var key in keys.EnumerateArray())
            {
                var fields = key.GetProperty("fields").EnumerateArray().Select(f => f.GetString()!).ToList();
                var reference = key.GetProperty("reference");
                var target = tables[reference.GetProperty("resource").GetString()!];
                var targetFields = reference.GetProperty("fields").EnumerateArray().Select(f => f.GetString()!).ToList();
                var existing = target.Records.Select(r => string.Join('\u001f', targetFields.Select(f => r[f]))).ToHashSet(StringComparer.Ordinal);
                foreach (var record in table.Records)
                {
                    var value = string.Join('\u001f', fields.Select(f => record[f]));
                    Assert.True(existing.Contains(value), $"{resource.GetProperty("path").GetString()}: {string.Join(", ", fields)} = {value} names no row of {reference.GetProperty("resource").GetString()}.");
                }
            }
        }
        return tables;
    }

    private static readonly string[] Counts = ["repondants", "effectif", "repondants_question", "repondants_notes"];

    private static void CheckTable(string path, JsonElement schema, PackageTable table)
    {
        var fields = schema.GetProperty("fields").EnumerateArray().ToList();
        Assert.Equal(fields.Select(f => f.GetProperty("name").GetString()!), table.Header);
        var missing = schema.GetProperty("missingValues").EnumerateArray().Select(v => v.GetString()!).ToHashSet(StringComparer.Ordinal);
        var primaryKey = schema.GetProperty("primaryKey").EnumerateArray().Select(f => table.Header.ToList().IndexOf(f.GetString()!)).ToList();
        Assert.DoesNotContain(-1, primaryKey);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var secretColumn = table.Header.ToList().IndexOf("secret_statistique");
        for (var r = 0; r < table.Rows.Count; r++)
        {
            var row = table.Rows[r];
            var line = r + 2;
            Assert.True(row.Count == fields.Count, $"{path}:{line}: {row.Count} cells for {fields.Count} fields.");
            for (var c = 0; c < fields.Count; c++)
            {
                var field = fields[c];
                var cell = row[c];
                var name = field.GetProperty("name").GetString();
                if (missing.Contains(cell))
                {
                    var required = field.TryGetProperty("constraints", out var constraints) && constraints.TryGetProperty("required", out var flag) && flag.GetBoolean();
                    Assert.False(required || primaryKey.Contains(c), $"{path}:{line}: {name} is required but empty.");
                    continue;
                }
                var type = field.GetProperty("type").GetString();
                var valid = type switch
                {
                    "integer" => cell.All(ch => char.IsAsciiDigit(ch) || ch == '-') && long.TryParse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
                    "number" => double.TryParse(cell, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number),
                    "boolean" => field.GetProperty("trueValues").EnumerateArray().Any(v => v.GetString() == cell) || field.GetProperty("falseValues").EnumerateArray().Any(v => v.GetString() == cell),
                    "string" => true,
                    _ => false,
                };
                Assert.True(valid, $"{path}:{line}: {name} = « {cell} » is not a valid {type}.");
            }
            Assert.True(keys.Add(string.Join('\u001f', primaryKey.Select(c => row[c]))), $"{path}:{line}: primary key {string.Join(", ", primaryKey.Select(c => row[c]))} repeated.");
            if (secretColumn >= 0)
            {
                var secret = row[secretColumn] == "true";
                for (var c = 0; c < fields.Count; c++)
                {
                    var field = fields[c];
                    var name = field.GetProperty("name").GetString()!;
                    // Figures: the optional numbers, and a sentence that quotes one; labels and selection criteria are not.
                    var optional = !(field.TryGetProperty("constraints", out var constraints) && constraints.GetProperty("required").GetBoolean());
                    var isFigure = optional && (field.GetProperty("type").GetString() is "integer" or "number" || name == "enonce");
                    if (secret && isFigure)
                    {
                        Assert.True(row[c].Length == 0, $"{path}:{line}: {name} = « {row[c]} » on a secret row.");
                    }
                    if (!secret && isFigure && Counts.Contains(name))
                    {
                        Assert.True(row[c].Length > 0, $"{path}:{line}: {name} empty on a published row.");
                    }
                }
            }
        }
    }

    /// <summary>Reads a CSV (RFC 4180: commas, double quotes doubled inside quoted cells, <c>\n</c> or <c>\r\n</c>).</summary>
    public static PackageTable Parse(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rows = new List<IReadOnlyList<string>>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        var atStart = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when atStart:
                    quoted = true;
                    atStart = false;
                    break;
                case ',':
                    row.Add(cell.ToString());
                    cell.Clear();
                    atStart = true;
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\n':
                    row.Add(cell.ToString());
                    cell.Clear();
                    rows.Add(row);
                    row = [];
                    atStart = true;
                    break;
                default:
                    Assert.False(c == '"', $"{path}: a quote inside an unquoted cell (row {rows.Count + 1}).");
                    cell.Append(c);
                    atStart = false;
                    break;
            }
        }
        Assert.False(quoted, $"{path}: a quoted cell is not closed.");
        Assert.True(row.Count == 0 && cell.Length == 0, $"{path}: the last line does not end with a line break.");
        Assert.NotEmpty(rows);
        return new PackageTable(rows[0].ToList(), rows.Skip(1).ToList());
    }
}
