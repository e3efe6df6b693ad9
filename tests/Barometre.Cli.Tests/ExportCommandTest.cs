using System.Text.Json;

namespace Barometre.Cli.Tests;

/// <summary><c>barometre export opendata</c> end to end: a computed results file in, a valid data package folder out, all or nothing.</summary>
public sealed class ExportCommandTest
{
    private const string Model = CompareCommandTest.Earlier;

    /// <summary>A synthetic panel and its results computed by <c>barometre compute</c>.</summary>
    private static (string Responses, string Results) Computed(TempDirectory temp)
    {
        var responses = CompareCommandTest.Panel(temp, Model, 40, seed: 2019);
        var results = temp.File("resultats.json");
        Assert.Equal(0, CliRun.Of("compute", "--model", Model, "--responses", responses, "--out", results, "--bootstrap", "100").ExitCode);
        return (responses, results);
    }

    private static Dictionary<string, byte[]> Folder(string path) =>
        Directory.GetFiles(path).ToDictionary(file => Path.GetFileName(file), File.ReadAllBytes, StringComparer.Ordinal);

    [Fact]
    public void Export_ComputedResults_WritesAValidPackageOfTheWholePanel()
    {
        using var temp = new TempDirectory();
        var (_, results) = Computed(temp);
        var output = Path.Combine(temp.Path, "donnees");

        var run = CliRun.Of("export", "opendata", "--results", results, "--out", output, "--producer", "Observatoire régional");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        Assert.Equal($"Données ouvertes écrites dans « {output} » : 9 tables et datapackage.json, 1 sélection dont 0 sous secret statistique (seuil de 5 collectivités), Licence Ouverte 2.0.\n",
            run.Out.ReplaceLineEndings("\n"));
        var files = Folder(output);
        DataPackageCheck.AssertValidDescriptor(files["datapackage.json"]);
        var tables = DataPackageCheck.AssertTablesConform(files);
        Assert.Equal("ensemble du panel", Assert.Single(tables["selections"].Records)["libelle"]);
        using var descriptor = JsonDocument.Parse(files["datapackage.json"]);
        Assert.Equal(Model, descriptor.RootElement.GetProperty("referentiel").GetProperty("id").GetString());
        Assert.Equal("Observatoire régional", descriptor.RootElement.GetProperty("contributors")[0].GetProperty("title").GetString());
        // Nothing individual: no collectivité's code or name anywhere.
        var text = string.Concat(files.Values.Select(System.Text.Encoding.UTF8.GetString));
        Assert.DoesNotContain("SYN0", text, StringComparison.Ordinal);
        Assert.DoesNotContain("fictive", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Export_WithTheAnswers_AddsEverySelection_AndIsTheSameBytesAgain()
    {
        using var temp = new TempDirectory();
        var (responses, results) = Computed(temp);
        var first = Path.Combine(temp.Path, "premier");
        var second = Path.Combine(temp.Path, "second");

        Assert.Equal(0, CliRun.Of("export", "opendata", "--results", results, "--responses", responses, "--threshold", "3", "--out", first).ExitCode);
        var again = CliRun.Of("export", "opendata", "--results", results, "--responses", responses, "--threshold", "3", "--out", second);

        Assert.Equal(0, again.ExitCode);
        var files = Folder(first);
        Assert.Equal(files, Folder(second));
        DataPackageCheck.AssertValidDescriptor(files["datapackage.json"]);
        var tables = DataPackageCheck.AssertTablesConform(files);
        Assert.True(tables["selections"].Rows.Count > 10);
        Assert.Contains(tables["selections"].Records, s => s["type_collectivite"].Length > 0 && s["secret_statistique"] == "false");
    }

    [Fact]
    public void Export_FormatXlsx_AddsAWorkbookPerTable_WithThePackagesCells()
    {
        using var temp = new TempDirectory();
        var (responses, results) = Computed(temp);
        var output = Path.Combine(temp.Path, "donnees");

        var run = CliRun.Of("export", "opendata", "--results", results, "--responses", responses, "--threshold", "3", "--format", "xlsx", "--out", output);

        Assert.Equal(0, run.ExitCode);
        var files = Folder(output);
        var package = files.Where(f => !f.Key.EndsWith(".xlsx", StringComparison.Ordinal)).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        DataPackageCheck.AssertValidDescriptor(package["datapackage.json"]);
        var tables = DataPackageCheck.AssertTablesConform(package);
        Assert.Equal(tables.Keys.Select(name => name + ".xlsx").Order(StringComparer.Ordinal), files.Keys.Where(f => f.EndsWith(".xlsx", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        foreach (var (name, table) in tables)
        {
            using var workbook = new MemoryStream(files[name + ".xlsx"]);
            var rows = MiniExcelLibs.MiniExcel.Query(workbook, useHeaderRow: false).Cast<IDictionary<string, object?>>().Select(row => row.Values.ToArray()).ToList();
            Assert.Equal(table.Header, rows[0].Select(cell => (string)cell!));
            Assert.Equal(table.Rows.Count, rows.Count - 1);
            foreach (var (text, cells) in table.Rows.Zip(rows.Skip(1)))
            {
                // Figures are numeric cells holding the CSV's values; texts the same texts (a workbook's string cells need
                // no protection from formulas, the CSV's do); secret figures empty.
                Assert.Equal(text, cells.Select(cell => cell switch
                {
                    double number => number.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                    null => "",
                    _ => Barometre.Data.Export.CsvCells.Text((string)cell),
                }));
            }
        }
    }

    [Fact]
    public void Export_UnknownFormat_IsAUsageError_AndWritesNothing()
    {
        using var temp = new TempDirectory();
        var (_, results) = Computed(temp);
        var output = Path.Combine(temp.Path, "donnees");

        var run = CliRun.Of("export", "opendata", "--results", results, "--format", "ods", "--out", output);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--format : « ods » inconnu", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Export_Again_ReplacesTheEarlierPackage_ButNeverAnotherFolder()
    {
        using var temp = new TempDirectory();
        var (_, results) = Computed(temp);
        var output = Path.Combine(temp.Path, "donnees");
        Assert.Equal(0, CliRun.Of("export", "opendata", "--results", results, "--out", output, "--threshold", "40").ExitCode);

        Assert.Equal(0, CliRun.Of("export", "opendata", "--results", results, "--out", output).ExitCode);
        using (var descriptor = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "datapackage.json"))))
        {
            Assert.Equal(5, descriptor.RootElement.GetProperty("secret_statistique").GetProperty("seuil").GetInt32());
        }

        var other = Path.Combine(temp.Path, "autre");
        Directory.CreateDirectory(other);
        File.WriteAllText(Path.Combine(other, "notes.txt"), "à garder");
        var refused = CliRun.Of("export", "opendata", "--results", results, "--out", other);
        Assert.Equal(5, refused.ExitCode);
        Assert.Contains("existe déjà et contient autre chose : indiquez un dossier vide ou nouveau", refused.Error, StringComparison.Ordinal);
        Assert.Equal(["notes.txt"], Directory.GetFiles(other).Select(Path.GetFileName));
        Assert.DoesNotContain(Directory.GetDirectories(temp.Path), d => Path.GetFileName(d).StartsWith('.'));
    }

    [Fact]
    public void Export_PublicResultsOrAnotherModel_IsRefused_AndWritesNothing()
    {
        using var temp = new TempDirectory();
        var (_, results) = Computed(temp);
        var output = Path.Combine(temp.Path, "donnees");
        var json = File.ReadAllText(results);
        var withoutScores = temp.File("public.json", json.Replace("\"scores\": [", "\"scores\": [] , \"ignored\": [", StringComparison.Ordinal));

        var noScores = CliRun.Of("export", "opendata", "--results", withoutScores, "--out", output);
        var otherModel = CliRun.Of("export", "opendata", "--results", results, "--model", CompareCommandTest.Later, "--out", output);
        var otherAnswers = CliRun.Of("export", "opendata", "--results", results, "--responses", CompareCommandTest.Panel(temp, Model, 39, seed: 1), "--out", output);
        var missing = CliRun.Of("export", "opendata", "--results", temp.File("absent.json"), "--out", output);

        Assert.Equal(1, noScores.ExitCode);
        Assert.Contains("n'a pas les scores de chaque collectivité", noScores.Error, StringComparison.Ordinal);
        Assert.Equal(1, otherModel.ExitCode);
        Assert.Contains($"ces résultats portent sur le référentiel « {Model} », pas sur « {CompareCommandTest.Later} »", otherModel.Error, StringComparison.Ordinal);
        Assert.Equal(1, otherAnswers.ExitCode);
        Assert.Contains("ces réponses ne sont pas celles des résultats", otherAnswers.Error, StringComparison.Ordinal);
        Assert.Equal(1, missing.ExitCode);
        Assert.False(Directory.Exists(output));
    }
}
