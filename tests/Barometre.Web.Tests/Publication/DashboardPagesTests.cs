using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Barometre.Web.Tests.Infrastructure;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using static Barometre.Web.Tests.Publishing.PublicationPanels;
using static Barometre.Web.Tests.Publishing.PublicChecks;

namespace Barometre.Web.Tests.Publishing;

/// <summary>
/// The public dashboard <c>/resultats/{id}</c> read as a browser without JavaScript does (AngleSharp): the
/// filters the plan offers, « secret statistique » for secret figures and whole filters without their counts,
/// French errors, the open-data CSV and JSON; and the operator's publish and unpublish forms.
/// </summary>
public abstract class DashboardPagesTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    [Fact]
    public async Task WholePanel_FiltersListThePlanValues_AndTheFiguresShow()
    {
        var campaign = await PublishedAsync(App.Services, Ct);
        using var client = Client();

        var page = await Html.GetAsync(client, campaign.DashboardUrl(), Ct);

        Assert.Equal(campaign.Seeded.Name, page.QuerySelector("h1")!.TextContent.Trim());
        Assert.Equal(
            [("", "Tous les types"), (Communaute, Communaute), (Commune, Commune), (Metropole, Metropole)],
            Options(page, "type"));
        Assert.Equal([("", "Toutes les régions"), (Bretagne, Bretagne), (Normandie, Normandie)], Options(page, "region"));
        Assert.Equal(
            [("", "Toutes les tailles"), ("moins-20000", "moins de 20\u202F000 habitants"), ("20000-50000", "de 20\u202F000 à 49\u202F999 habitants"), ("250000-plus", "250\u202F000 habitants ou plus")],
            Options(page, "tranche"));
        var form = page.QuerySelector<IHtmlFormElement>("form#filtres")!;
        Assert.Equal("get", form.Method);
        Assert.Equal("Afficher", form.QuerySelector("button[type=submit]")!.TextContent.Trim());
        Assert.Equal("ensemble du panel", page.QuerySelector("#selection")!.TextContent.Trim());
        var results = page.QuerySelector("#resultats")!;
        Assert.Contains("16 collectivités répondantes", Flat(results), StringComparison.Ordinal);
        var gouvernance = Expected.ThemeMean(campaign.Model, campaign.Members, "gouvernance");
        Assert.Contains($"Score moyen {gouvernance.ToString("N1", French)}/100", Flat(results), StringComparison.Ordinal);
        // The panel's three segments (5, 5 and 6 collectivités) are shown, without naming anybody.
        var sizes = results.QuerySelectorAll("section[aria-labelledby=segments] > table tbody tr").Select(r => int.Parse(r.QuerySelectorAll("td")[0].TextContent, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(16, sizes.Sum());
        Assert.All(sizes, s => Assert.True(s >= 5));
        // Nothing of the whole panel is secret: no figure says so.
        Assert.DoesNotContain(results.QuerySelectorAll("td, .value, svg text"), e => e.TextContent.Contains("secret statistique", StringComparison.Ordinal));
        Assert.DoesNotContain("Certains chiffres de cette sélection relèvent du secret statistique", Flat(results), StringComparison.Ordinal);
        Assert.NotNull(results.QuerySelector($"a[href='/resultats/{campaign.Id}?handler=Csv']"));
        Assert.NotNull(results.QuerySelector($"a[href='/resultats/{campaign.Id}?handler=Json']"));
        Assert.Contains($"/api/campaigns/{campaign.Id}/results", results.QuerySelector("code")!.TextContent, StringComparison.Ordinal);
        NamesNoCollectivite(page.DocumentElement.OuterHtml, campaign.Members, "the dashboard");
    }

    [Fact]
    public async Task TypeAndRegionFilter_ShowsTheSubset_SecretFiguresSaySo()
    {
        var campaign = await PublishedAsync(App.Services, Ct);
        using var client = Client();
        var communes = campaign.OfType(Commune).Where(m => m.Region == Bretagne).ToList();

        var page = await Html.GetAsync(client, campaign.DashboardUrl(Commune, Bretagne), Ct);

        Assert.Equal(Commune, page.QuerySelector<IHtmlSelectElement>("select#type")!.Value);
        Assert.Equal(Bretagne, page.QuerySelector<IHtmlSelectElement>("select#region")!.Value);
        Assert.Equal("commune · Bretagne", page.QuerySelector("#selection")!.TextContent.Trim());
        var results = page.QuerySelector("#resultats")!;
        var text = Flat(results);
        Assert.Contains("6 collectivités répondantes", text, StringComparison.Ordinal);
        var services = Expected.ThemeMean(campaign.Model, communes, "services");
        Assert.Contains($"Score moyen {services.ToString("N1", French)}/100", text, StringComparison.Ordinal);
        Assert.Contains("Certains chiffres de cette sélection relèvent du secret statistique", text, StringComparison.Ordinal);
        // The indicator on « démarches » (2 of these communes gave a level) and the question itself: « secret statistique », no figure.
        var keyFigure = results.QuerySelector(".key-figure")!;
        Assert.Equal("secret statistique", keyFigure.QuerySelector(".value")!.TextContent.Trim());
        Assert.DoesNotContain("%", keyFigure.TextContent, StringComparison.Ordinal);
        var label = campaign.Model.Questions[campaign.Model.IndexOfQuestion(Demarches)].Label;
        var row = results.QuerySelectorAll("table tbody tr").Single(r => r.QuerySelector("th")?.TextContent.Trim() == label);
        Assert.Equal(["secret statistique"], row.QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
        // Another question shows its counts.
        var strategie = campaign.Model.Questions[campaign.Model.IndexOfQuestion("gouvernance.strategie")].Label;
        var counts = results.QuerySelectorAll("table tbody tr").Single(r => r.QuerySelector("th")?.TextContent.Trim() == strategie);
        Assert.Equal("6", counts.QuerySelectorAll("td")[^1].TextContent.Trim());
        // The segments of 6 communes are all below 5, so all withheld, and no segment size is printed.
        var segments = results.QuerySelectorAll("section[aria-labelledby=segments] > table tbody tr").ToList();
        Assert.Equal(3, segments.Count);
        Assert.All(segments, s => Assert.Equal("secret statistique (moins de 5 collectivités)", s.QuerySelector("td")!.TextContent.Trim()));
        Assert.NotNull(page.QuerySelector($"form#filtres a[href='/resultats/{campaign.Id}']"));
        Assert.NotNull(results.QuerySelector($"a[href='/resultats/{campaign.Id}?handler=Csv&type=commune&region=Bretagne']"));
        NamesNoCollectivite(page.DocumentElement.OuterHtml, campaign.Members, "the communes' dashboard");
    }

    [Theory]
    [InlineData(Metropole, null, 3, "métropole")]
    [InlineData(null, Bretagne, 14, "Bretagne")]
    [InlineData(Commune, null, 8, "commune")]
    [InlineData(null, Normandie, 2, "Normandie")]
    public async Task SecretFilter_ShowsTheNotice_AndNoCount(string? type, string? region, int size, string label)
    {
        var campaign = await PublishedAsync(App.Services, Ct);
        using var client = Client();

        var page = await Html.GetAsync(client, campaign.DashboardUrl(type, region), Ct);

        var results = page.QuerySelector("#resultats")!;
        var notice = results.QuerySelector(".notice.secret")!;
        Assert.StartsWith($"Secret statistique. Aucun chiffre n’est publié pour la sélection « {label} »", Flat(notice), StringComparison.Ordinal);
        Assert.Empty(results.QuerySelectorAll("svg, table, .key-figure, .figures-row"));
        // The group's size appears nowhere in what the page shows of the selection.
        Assert.DoesNotMatch(Count(size), Flat(results));
        Assert.DoesNotContain("collectivités répondantes", Flat(results), StringComparison.Ordinal);
        Assert.Equal(label, page.QuerySelector("#selection")!.TextContent.Trim());

        // The downloads of a secret selection hold no figure either.
        var rows = await CsvAsync(client, campaign.DashboardUrl(type, region, handler: "Csv"));
        Assert.Equal(25, rows.Count - 1);
        Assert.All(rows.Skip(1), r => Assert.Equal((label, "", "", "", "oui"), (r[0], r[7], r[8], r[9], r[10])));
        var json = await GetTextAsync(client, campaign.DashboardUrl(type, region, handler: "Json"), HttpStatusCode.OK, Ct);
        Assert.Equal(await GetTextAsync(client, campaign.ResultsUrl(type, region), HttpStatusCode.OK, Ct), json);
        Assert.Contains("\"suppressed\": true", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("type", "inconnu", "Type de collectivité « inconnu » inconnu : valeurs possibles « communauté de communes », « commune », « métropole ».")]
    [InlineData("region", "Corse", "Région « Corse » inconnue : valeurs possibles « Bretagne », « Normandie ».")]
    [InlineData("tranche", "100000-250000", "Tranche de population « 100000-250000 » inconnue : valeurs possibles « moins-20000 », « 20000-50000 », « 250000-plus ».")]
    public async Task UnknownValue_Is400WithAFrenchError(string parameter, string value, string error)
    {
        var campaign = await PublishedAsync(App.Services, Ct);
        using var client = Client();

        var query = parameter == "type" ? "" : $"type={Uri.EscapeDataString(Commune)}&";
        using var response = await client.GetAsync(new Uri($"/resultats/{campaign.Id}?{query}{parameter}={Uri.EscapeDataString(value)}", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await Html.ParseAsync(response, Ct);
        Assert.Equal(error, page.QuerySelector("#resultats [role=alert]")!.TextContent.Trim());
        Assert.Null(page.QuerySelector("#resultats svg"));
        // The form stays usable: the valid value is kept (unless it is the faulty one).
        Assert.Equal(parameter == "type" ? "" : Commune, page.QuerySelector<IHtmlSelectElement>("select#type")!.Value);
        using var csv = await client.GetAsync(new Uri($"/resultats/{campaign.Id}?handler=Csv&{parameter}={Uri.EscapeDataString(value)}", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, csv.StatusCode);
        Assert.Equal("text/html", csv.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task CsvAndJson_OfASelection_AreItsOpenData()
    {
        var campaign = await PublishedAsync(App.Services, Ct);
        using var client = Client();
        var model = campaign.Model;
        var communes = campaign.OfType(Commune).Where(m => m.Region == Bretagne).ToList();

        // The whole panel: one row per question and level, the counts of the answers.
        var whole = await CsvAsync(client, campaign.DashboardUrl(handler: "Csv"));
        Assert.Equal(["filtre", "theme_id", "theme", "question_id", "question", "niveau", "libelle_niveau", "effectif", "part", "repondants_question", "secret_statistique"], whole[0]);
        Assert.Equal(5 * 5, whole.Count - 1);
        CheckCsv(whole, model, campaign.Members, "ensemble du panel", secret: []);

        // The communes of Bretagne: « démarches » is secret (empty figures, « oui »), the rest their own counts.
        using (var response = await client.GetAsync(new Uri(campaign.DashboardUrl(Commune, Bretagne, handler: "Csv"), UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal($"resultats-{campaign.Id}-commune_bretagne.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
            var text = await response.Content.ReadAsStringAsync(Ct);
            NamesNoCollectivite(text, campaign.Members, "the CSV");
            CheckCsv(ReadCsv(text), model, communes, "commune · Bretagne", secret: [Demarches]);
        }

        // A band: the page gives the API's address with the API's parameter name, and it answers the same group.
        var band = await Html.GetAsync(client, campaign.DashboardUrl(band: "20000-50000"), Ct);
        var api = band.QuerySelector("#resultats section[aria-labelledby=donnees] code")!.TextContent.Trim();
        Assert.Equal($"/api/campaigns/{campaign.Id}/results?populationBand=20000-50000", api);
        Assert.Equal(5, (await GetJsonAsync(client, api, Ct)).GetProperty("respondents").GetInt32());
        Assert.NotNull(band.QuerySelector($"a[href='/resultats/{campaign.Id}?handler=Csv&tranche=20000-50000']"));

        // The JSON download is the API's document.
        using (var response = await client.GetAsync(new Uri(campaign.DashboardUrl(Commune, Bretagne, handler: "Json"), UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal($"resultats-{campaign.Id}-commune_bretagne.json", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
            Assert.Equal(await GetTextAsync(client, campaign.ResultsUrl(Commune, Bretagne), HttpStatusCode.OK, Ct), await response.Content.ReadAsStringAsync(Ct));
        }
    }

    [Fact]
    public async Task Distributions_AsXlsxAndFrenchExcelCsv_HoldTheCsvsCells()
    {
        var campaign = await PublishedAsync(App.Services, Ct);
        using var client = Client();
        var url = campaign.DashboardUrl(Commune, Bretagne, handler: "Csv");
        var csv = await CsvAsync(client, url);
        var page = await Html.GetAsync(client, campaign.DashboardUrl(Commune, Bretagne), Ct);
        Assert.NotNull(page.QuerySelector($"a[href='{url}&format=xlsx']"));
        Assert.NotNull(page.QuerySelector($"a[href='{url}&format=csv-fr']"));

        using (var response = await client.GetAsync(new Uri($"{url}&format=xlsx", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal($"resultats-{campaign.Id}-commune_bretagne.xlsx", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
            using var workbook = new MemoryStream(await response.Content.ReadAsByteArrayAsync(Ct));
            var rows = MiniExcelLibs.MiniExcel.Query(workbook, useHeaderRow: false).Cast<IDictionary<string, object?>>().Select(row => row.Values.ToArray()).ToList();
            Assert.Equal(csv.Count, rows.Count);
            Assert.Equal(csv[0], rows[0].Select(cell => (string)cell!));
            foreach (var (text, cells) in csv.Skip(1).Zip(rows.Skip(1)))
            {
                // Figures are numeric cells with the CSV's values; texts are the same texts.
                Assert.Equal(text, cells.Select(cell => cell switch
                {
                    double number => number.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                    null => "",
                    _ => (string)cell,
                }));
                Assert.IsType<double>(cells[5]);
            }
        }

        using (var response = await client.GetAsync(new Uri($"{url}&format=csv-fr", UriKind.Relative), Ct))
        {
            Assert.Equal($"resultats-{campaign.Id}-commune_bretagne-excel-fr.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
            var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
            Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
            using var reader = new CsvHelper.CsvReader(
                new StringReader(System.Text.Encoding.UTF8.GetString(bytes[3..])),
                new CsvHelper.Configuration.CsvConfiguration(System.Globalization.CultureInfo.GetCultureInfo("fr-FR")) { Delimiter = ";" });
            var french = new List<string[]>();
            while (reader.Read())
            {
                french.Add(reader.Parser.Record!);
            }
            // Same cells; the shares (« part ») with a decimal comma, which fr-FR reads as the CSV's number.
            Assert.Equal(csv.Select(row => row.Select((cell, j) => j == 8 ? cell.Replace('.', ',') : cell).ToArray()), french);
            Assert.All(csv.Skip(1).Zip(french.Skip(1)).Where(pair => pair.First[8].Length > 0), pair => Assert.Equal(
                double.Parse(pair.First[8], System.Globalization.CultureInfo.InvariantCulture),
                double.Parse(pair.Second[8], System.Globalization.CultureInfo.GetCultureInfo("fr-FR"))));
        }

        using var unknown = await client.GetAsync(new Uri($"{url}&format=ods", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    [Fact]
    public async Task OperatorPublishForm_ValidatesTheThreshold_PublishesAndUnpublishes_Audited()
    {
        var campaign = await SeedAsync(App.Services, Standard(), Ct);
        await SubmitAsync(App.Services, campaign, campaign.Members, Ct);
        await CloseAsync(App.Services, campaign, Ct);
        var credentials = await App.AddOperatorAsync(Ct);
        using var operatorClient = await App.SignedInClientAsync(credentials, Ct);
        using var reader = Client();
        var path = $"/admin/campagnes/{campaign.Id}/resultats";
        var page = await Html.GetAsync(operatorClient, path, Ct);
        Assert.Equal("Non publiés", page.QuerySelector("#publication ~ p .badge")!.TextContent.Trim());
        Assert.Equal("5", page.QuerySelector<IHtmlInputElement>("form[action$='handler=Publish'] input[name=Threshold]")!.Value);
        Assert.Empty(page.QuerySelectorAll("form[action$='handler=Unpublish']"));

        // Without the antiforgery token: refused.
        var fields = Html.Fields(page.QuerySelector("form[action$='handler=Publish']")!);
        fields.RemoveAll(f => f.Key == Html.AntiforgeryField);
        using (var forged = await Html.PostFormAsync(operatorClient, $"{path}?handler=Publish", fields, Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }
        // A threshold of 0: a French error, nothing published.
        using (var zero = await OperatorPages.SubmitAsync(operatorClient, path, "form[action$='handler=Publish']", f => Html.Set(f, "Threshold", "0"), Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, zero.StatusCode);
            Assert.Equal("Le seuil du secret statistique doit être compris entre 1 et 1 000 collectivités.", (await Html.ParseAsync(zero, Ct)).QuerySelector("[role=alert]")!.TextContent.Trim());
        }
        Assert.Null(await App.WithDbAsync(db => db.Campaigns.Where(c => c.Id == campaign.Id).Select(c => c.PublishedAt).SingleAsync(Ct)));
        await GetTextAsync(reader, campaign.DashboardUrl(), HttpStatusCode.NotFound, Ct);

        // A threshold of 4: published.
        using (var published = await OperatorPages.SubmitAsync(operatorClient, path, "form[action$='handler=Publish']", f => Html.Set(f, "Threshold", "4"), Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
            Assert.Equal(path, OperatorPages.PathOf(published.Headers.Location));
        }
        var stored = await App.WithDbAsync(db => db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == campaign.Id, Ct));
        Assert.Equal(((DateTime?)App.Now, 4, 1), (stored.PublishedAt, stored.SecrecyThreshold, stored.PublicationVersion));
        page = await Html.GetAsync(operatorClient, path, Ct);
        Assert.Equal($"Résultats publiés (seuil du secret statistique : 4 collectivités) : ils sont visibles de tous sur /resultats/{campaign.Id}.", page.QuerySelector(".notice.success[role=status]")!.TextContent.Trim());
        Assert.Equal("Publiés", page.QuerySelector("#publication ~ p .badge")!.TextContent.Trim());
        Assert.Equal("4", page.QuerySelector<IHtmlInputElement>("form[action$='handler=Publish'] input[name=Threshold]")!.Value);
        Assert.Equal(4, (await GetJsonAsync(reader, campaign.ResultsUrl(), Ct)).GetProperty("secrecy").GetProperty("threshold").GetInt32());
        Assert.Contains("moins de 4 collectivités", Flat((await Html.GetAsync(reader, campaign.DashboardUrl(), Ct)).QuerySelector("form#filtres")!), StringComparison.Ordinal);

        // Unpublished: gone from the public side.
        using (var unpublished = await OperatorPages.SubmitAsync(operatorClient, path, "form[action$='handler=Unpublish']", cancellationToken: Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, unpublished.StatusCode);
        }
        await GetTextAsync(reader, campaign.DashboardUrl(), HttpStatusCode.NotFound, Ct);
        await GetTextAsync(reader, campaign.ResultsUrl(), HttpStatusCode.NotFound, Ct);
        page = await Html.GetAsync(operatorClient, path, Ct);
        Assert.Equal("Publication retirée : les résultats ne sont plus publics.", page.QuerySelector(".notice.warning")!.TextContent.Trim());

        // Both are in the journal, by the operator, old → new.
        var journal = await Html.GetAsync(operatorClient, $"/admin/campagnes/{campaign.Id}/journal", Ct);
        var rows = journal.QuerySelectorAll("table.audit tbody tr").Take(2).Select(r => (
            Who: r.QuerySelectorAll("td")[1].TextContent.Trim(),
            Code: r.QuerySelector("th code")!.TextContent.Trim(),
            Subject: r.QuerySelectorAll("td")[2].TextContent.Trim(),
            Before: r.QuerySelector("del")?.TextContent.Replace("avant : ", "", StringComparison.Ordinal).Trim(),
            After: r.QuerySelector("ins")!.TextContent.Replace("après : ", "", StringComparison.Ordinal).Trim())).ToList();
        var who = $"opérateur {credentials.Email}";
        Assert.Equal(
            [
                (who, "campaign.unpublish", campaign.Seeded.Name, (string?)"publiée", "non publiée"),
                (who, "campaign.publish", campaign.Seeded.Name, "non publiée", "publiée (version 1, seuil 4)"),
            ],
            rows);
    }

    [Fact]
    public async Task Journal_PublicationEntries_AreNamedInFrench()
    {
        var campaign = await PublishedAsync(App.Services, Ct);
        Assert.True(await UnpublishAsync(App.Services, campaign, Ct));
        using var operatorClient = await App.SignedInClientAsync(cancellationToken: Ct);

        var journal = await Html.GetAsync(operatorClient, $"/admin/campagnes/{campaign.Id}/journal", Ct);

        // Every other action reads « Résultats figés campaign.freeze »: a French name, then the code.
        var names = journal.QuerySelectorAll("table.audit tbody tr th").Take(2).Select(th =>
        {
            var code = th.QuerySelector("code")!.TextContent.Trim();
            // The label is what precedes the <code> element.
            var text = th.TextContent.Trim();
            return (Code: code, Name: text[..text.LastIndexOf(code, StringComparison.Ordinal)].Trim());
        }).ToList();
        Assert.Equal(["campaign.unpublish", "campaign.publish"], names.Select(n => n.Code));
        Assert.All(names, n => Assert.False(n.Name == n.Code, $"The journal names « {n.Code} » by its code only."));
    }

    /// <summary>The (value, text) of a select's options.</summary>
    private static List<(string Value, string Text)> Options(IDocument page, string select) =>
        [.. page.QuerySelectorAll($"select#{select} option").Cast<IHtmlOptionElement>().Select(o => (o.Value, o.TextContent.Trim()))];

    /// <summary>An element's text with its whitespace collapsed.</summary>
    private static string Flat(IElement element) => string.Join(' ', element.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>A number standing alone: not a digit of another number, of an escaped character (« %C3 ») or of a path (« /resultats/3 »).</summary>
    private static Regex Count(int value) => new($@"(?<![\w,%/]){value.ToString(CultureInfo.InvariantCulture)}(?![\w,%])");

    private static async Task<List<string[]>> CsvAsync(HttpClient client, string url) => ReadCsv(await GetTextAsync(client, url, HttpStatusCode.OK, Ct));

    private static List<string[]> ReadCsv(string text)
    {
        using var reader = new StringReader(text.TrimStart('\uFEFF'));
        using var csv = new CsvParser(reader, CultureInfo.InvariantCulture);
        var rows = new List<string[]>();
        while (csv.Read())
        {
            rows.Add(csv.Record!);
        }
        return rows;
    }

    /// <summary>Each row: the filter, the question, the level, its count and share among those who gave a level; empty and « oui » when secret.</summary>
    private static void CheckCsv(List<string[]> rows, Core.Model.MaturityModel model, IReadOnlyList<Member> members, string filter, string[] secret)
    {
        var row = 1;
        foreach (var question in model.Questions)
        {
            var counts = Expected.Counts(model, members, question.Id);
            var answered = counts.Sum();
            for (var level = 0; level <= model.Scale.MaxLevel; level++, row++)
            {
                var r = rows[row];
                Assert.Equal((filter, question.Id, level.ToString(CultureInfo.InvariantCulture)), (r[0], r[3], r[5]));
                if (secret.Contains(question.Id))
                {
                    Assert.Equal(("", "", "", "oui"), (r[7], r[8], r[9], r[10]));
                    continue;
                }
                Assert.Equal((counts[level], answered, "non"), (int.Parse(r[7], CultureInfo.InvariantCulture), int.Parse(r[9], CultureInfo.InvariantCulture), r[10]));
                Assert.Equal((double)counts[level] / answered, double.Parse(r[8], CultureInfo.InvariantCulture), 12);
            }
        }
    }
}

public sealed class DashboardPagesTests_Sqlite(SqliteDatabase database) : DashboardPagesTests<SqliteDatabase>(database);

public sealed class DashboardPagesTests_Postgres(PostgresDatabase database) : DashboardPagesTests<PostgresDatabase>(database);
