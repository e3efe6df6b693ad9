using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Barometre.Web.Tests.Infrastructure;
using static Barometre.Web.Tests.Publishing.PublicationPanels;
using static Barometre.Web.Tests.Publishing.PublicChecks;

namespace Barometre.Web.Tests.Publishing;

/// <summary>
/// A published campaign's open data, <c>/resultats/{id}/donnees.zip</c> and its parts, on the
/// <see cref="PublicationPanels.Standard"/> panel: the package valid and its tables conforming, the same bytes zipped
/// and one by one, every selection's figures and secrecy equal to the public API's, 404 before publication and after
/// withdrawal, and the links on the public pages.
/// </summary>
public abstract class OpenDataDownloadTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private static readonly string[] Files =
        ["datapackage.json", "selections.csv", "themes.csv", "questions.csv", "niveaux.csv", "distributions.csv", "indicateurs.csv", "scores_themes.csv", "segments.csv", "profils_segments.csv"];

    [Fact]
    public async Task Zip_HoldsAValidPackage_TheSameAsItsParts()
    {
        var campaign = await PublishedAsync(App.Services, Ct);
        using var client = Client();

        using var response = await client.GetAsync(new Uri($"/resultats/{campaign.Id}/donnees.zip", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"barometre-modele-test-campagne-{campaign.Id}.zip", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        var zipped = await response.Content.ReadAsByteArrayAsync(Ct);
        using var archive = new ZipArchive(new MemoryStream(zipped));
        Assert.Equal(Files, archive.Entries.Select(e => e.FullName));
        var files = archive.Entries.ToDictionary(e => e.FullName, Read, StringComparer.Ordinal);

        DataPackageCheck.AssertValidDescriptor(files["datapackage.json"]);
        DataPackageCheck.AssertTablesConform(files);
        using var descriptor = JsonDocument.Parse(files["datapackage.json"]);
        var root = descriptor.RootElement;
        Assert.Equal(App.Now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), root.GetProperty("created").GetString());
        Assert.Equal($"http://localhost/resultats/{campaign.Id}", root.GetProperty("homepage").GetString());
        Assert.Equal(campaign.Seeded.Name, root.GetProperty("campagne").GetProperty("nom").GetString());
        Assert.Equal(5, root.GetProperty("secret_statistique").GetProperty("seuil").GetInt32());
        Assert.Equal("etalab-2.0", root.GetProperty("licenses")[0].GetProperty("name").GetString());

        using (var part = await client.GetAsync(new Uri($"/resultats/{campaign.Id}/donnees/datapackage.json", UriKind.Relative), Ct))
        {
            Assert.Equal("application/json", part.Content.Headers.ContentType?.MediaType);
            Assert.Equal("utf-8", part.Content.Headers.ContentType?.CharSet);
            Assert.Equal(files["datapackage.json"], await part.Content.ReadAsByteArrayAsync(Ct));
        }
        foreach (var name in Files.Skip(1))
        {
            using var part = await client.GetAsync(new Uri($"/resultats/{campaign.Id}/donnees/{name}", UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.OK, part.StatusCode);
            Assert.Equal("text/csv", part.Content.Headers.ContentType?.MediaType);
            Assert.Equal(files[name], await part.Content.ReadAsByteArrayAsync(Ct));
        }
        // The same bytes on every request: nothing depends on the clock.
        App.Clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal(zipped, await client.GetByteArrayAsync(new Uri($"/resultats/{campaign.Id}/donnees.zip", UriKind.Relative), Ct));
        var everything = string.Concat(files.Values.Select(System.Text.Encoding.UTF8.GetString));
        NamesNoCollectivite(everything, campaign.Members, "the open data");
    }

    [Fact]
    public async Task Table_AsFrenchExcelCsvOrWorkbook_HoldsThePackagesCells_AndAnUnknownFormatIs400()
    {
        var campaign = await PublishedAsync(App.Services, Ct);
        using var client = Client();
        var url = $"/resultats/{campaign.Id}/donnees/distributions.csv";
        var csv = DataPackageCheck.Parse(System.Text.Encoding.UTF8.GetString(await client.GetByteArrayAsync(new Uri(url, UriKind.Relative), Ct)), "distributions.csv");

        using (var response = await client.GetAsync(new Uri(url + "?format=xlsx", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("distributions.xlsx", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
            using var workbook = new MemoryStream(await response.Content.ReadAsByteArrayAsync(Ct));
            var rows = MiniExcelLibs.MiniExcel.Query(workbook, useHeaderRow: false).Cast<IDictionary<string, object?>>().Select(row => row.Values.ToArray()).ToList();
            Assert.Equal(csv.Header, rows[0].Select(cell => (string)cell!));
            Assert.Equal(csv.Rows.Count, rows.Count - 1);
            foreach (var (text, cells) in csv.Rows.Zip(rows.Skip(1)))
            {
                Assert.Equal(text, cells.Select(cell => cell switch
                {
                    double number => number.ToString("R", CultureInfo.InvariantCulture),
                    null => "",
                    _ => Barometre.Data.Export.CsvCells.Text((string)cell),
                }));
            }
        }
        using (var response = await client.GetAsync(new Uri(url + "?format=csv-fr", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("distributions-excel-fr.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
            var text = System.Text.Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync(Ct)).TrimStart('\uFEFF');
            var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(string.Join(';', csv.Header), lines[0]);
            Assert.Equal(csv.Rows.Count, lines.Length - 1);
            // The shares with a decimal comma, the rest as in the package.
            Assert.Contains(lines.Skip(1), line => line.Contains("0,", StringComparison.Ordinal));
        }
        using (var response = await client.GetAsync(new Uri(url + "?format=ods", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("Format « ods » inconnu", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
    }

    /// <summary>Each selection of the package against the public API's figures for the same selection: equal, and secret exactly where it is.</summary>
    [Fact]
    public async Task EverySelection_IsThePublicApisFigures_SecretExactlyWhereItIs()
    {
        var campaign = await PublishedAsync(App.Services, Ct);
        using var client = Client();
        var tables = DataPackageCheck.AssertTablesConform(await FilesAsync(client, campaign.Id));

        var secretSelections = 0;
        var secretQuestions = 0;
        foreach (var selection in tables["selections"].Records)
        {
            var query = string.Join('&', new[] { ("type", selection["type_collectivite"]), ("region", selection["region"]), ("populationBand", selection["tranche_population"]) }
                .Where(p => p.Item2.Length > 0).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2)}"));
            var api = await GetJsonAsync(client, $"/api/campaigns/{campaign.Id}/results?{query}", Ct);
            var id = selection["filtre"];
            if (api.GetProperty("suppressed").GetBoolean())
            {
                secretSelections++;
                Assert.Equal(("true", ""), (selection["secret_statistique"], selection["repondants"]));
                Assert.DoesNotContain(tables["distributions"].Records, r => r["filtre"] == id);
                continue;
            }
            Assert.Equal(("false", api.GetProperty("respondents").GetInt32().ToString(CultureInfo.InvariantCulture)), (selection["secret_statistique"], selection["repondants"]));
            foreach (var question in api.GetProperty("questions").EnumerateArray())
            {
                var rows = tables["distributions"].Records.Where(r => r["filtre"] == id && r["question_id"] == question.GetProperty("id").GetString()).ToList();
                var secret = IsSecretMarker(question) || (question.TryGetProperty("suppressed", out var flag) && flag.GetBoolean());
                secretQuestions += secret ? 1 : 0;
                Assert.All(rows, r => Assert.Equal(secret ? "true" : "false", r["secret_statistique"]));
                if (!secret)
                {
                    Assert.Equal(question.GetProperty("counts").EnumerateArray().Select(c => c.GetInt32().ToString(CultureInfo.InvariantCulture)), rows.Select(r => r["effectif"]));
                }
                else
                {
                    Assert.All(rows, r => Assert.Equal("", r["effectif"]));
                }
            }
            foreach (var theme in api.GetProperty("themes").EnumerateArray())
            {
                var row = tables["scores_themes"].Records.Single(r => r["filtre"] == id && r["theme_id"] == theme.GetProperty("id").GetString());
                var secret = theme.TryGetProperty("suppressed", out var flag) && flag.GetBoolean();
                Assert.Equal(secret ? "true" : "false", row["secret_statistique"]);
                Assert.Equal(secret ? "" : theme.GetProperty("mean").GetDouble().ToString("R", CultureInfo.InvariantCulture), row["moyenne"]);
            }
        }
        Assert.True(secretSelections > 0 && secretQuestions > 0, $"{secretSelections} secret selections, {secretQuestions} secret questions: the panel should have both.");
    }

    [Fact]
    public async Task Unpublished_UnknownOrWithdrawn_Is404()
    {
        var open = await SeedAsync(App.Services, Standard(), Ct);
        var published = await PublishedAsync(App.Services, Ct);
        using var client = Client();

        foreach (var url in new[]
        {
            $"/resultats/{open.Id}/donnees.zip", $"/resultats/{open.Id}/donnees/datapackage.json", $"/resultats/{open.Id}/donnees/distributions.csv",
            "/resultats/987654/donnees.zip", $"/resultats/{published.Id}/donnees/inconnue.csv", $"/resultats/{published.Id}/donnees/datapackage.csv",
        })
        {
            using var response = await client.GetAsync(new Uri(url, UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        Assert.True(await UnpublishAsync(App.Services, published, Ct));
        using (var withdrawn = await client.GetAsync(new Uri($"/resultats/{published.Id}/donnees.zip", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, withdrawn.StatusCode);
        }
    }

    [Fact]
    public async Task PublicPages_LinkToTheOpenData()
    {
        var campaign = await PublishedAsync(App.Services, Ct);
        using var client = Client();

        var dashboard = await Html.GetAsync(client, campaign.DashboardUrl(), Ct);
        var index = await Html.GetAsync(client, "/resultats", Ct);

        var link = dashboard.QuerySelector($"#donnees-ouvertes a[href='/resultats/{campaign.Id}/donnees.zip']");
        Assert.NotNull(link);
        Assert.Equal("Toutes les données ouvertes de la campagne (ZIP)", link.TextContent.Trim());
        Assert.NotNull(dashboard.QuerySelector($"a[href='/resultats/{campaign.Id}/donnees/datapackage.json']"));
        Assert.Contains("Licence Ouverte 2.0", dashboard.QuerySelector("#donnees-ouvertes")!.TextContent, StringComparison.Ordinal);
        var listed = index.QuerySelector($"a[href='/resultats/{campaign.Id}/donnees.zip']");
        Assert.NotNull(listed);
        Assert.Equal($"Données ouvertes de « {campaign.Seeded.Name} » (ZIP)", listed.GetAttribute("aria-label"));
    }

    private static async Task<Dictionary<string, byte[]>> FilesAsync(HttpClient client, int campaignId)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in Files)
        {
            files[name] = await client.GetByteArrayAsync(new Uri($"/resultats/{campaignId}/donnees/{name}", UriKind.Relative), TestContext.Current.CancellationToken);
        }
        return files;
    }

    private static byte[] Read(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}

public sealed class OpenDataDownloadTests_Sqlite(SqliteDatabase database) : OpenDataDownloadTests<SqliteDatabase>(database);

public sealed class OpenDataDownloadTests_Postgres(PostgresDatabase database) : OpenDataDownloadTests<PostgresDatabase>(database);
