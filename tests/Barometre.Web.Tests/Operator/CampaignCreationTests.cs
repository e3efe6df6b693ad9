using System.Net;
using AngleSharp.Dom;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Web.Tests.OperatorFlows;

/// <summary>
/// /admin/campagnes/nouvelle through the real pipeline: a campaign from a shipped or uploaded model and a
/// panel CSV; a faulty panel lists every problem with its line and creates nothing.
/// </summary>
public abstract class CampaignCreationTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    [Fact]
    public async Task NewCampaign_ShippedModel_CreatesTheCampaignWithItsPanel()
    {
        using var client = await App.SignedInClientAsync(cancellationToken: Ct);
        var codes = OperatorPages.NewCodes(3);
        var form = await Html.GetAsync(client, "/admin/campagnes/nouvelle", Ct);
        Assert.Contains("maturite-numerique-2019", form.QuerySelectorAll("select[name=ShippedModel] option").Select(o => o.GetAttribute("value")));

        using var response = await OperatorPages.PostNewCampaignAsync(client, "Baromètre 2026 — fourni", OperatorPages.PanelCsv(codes), cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var path = OperatorPages.PathOf(response.Headers.Location);
        Assert.Matches(@"^/admin/campagnes/\d+$", path);
        var followUp = await Html.GetAsync(client, path, Ct);
        Assert.Equal("Baromètre 2026 — fourni", followUp.QuerySelector("h1")!.TextContent.Trim());
        Assert.Contains("La campagne « Baromètre 2026 — fourni » est créée avec 3 collectivités.", Html.Text(followUp), StringComparison.Ordinal);
        Assert.Contains("Référentiel maturite-numerique-2019 (37 questions en 9 thèmes)", Html.Text(followUp), StringComparison.Ordinal);
        Assert.Equal(codes, followUp.QuerySelectorAll("table.follow-up tbody tr td:first-child code").Select(c => c.TextContent));
        var id = int.Parse(path["/admin/campagnes/".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var participants = await App.WithDbAsync(db => db.Participants.AsNoTracking().Where(p => p.CampaignId == id).OrderBy(p => p.Id).ToListAsync(Ct));
        Assert.Equal(codes, participants.Select(p => p.Code));
        Assert.Equal($"mairie{codes[0]}@exemple.fr", participants[0].Email);
        Assert.Equal("Occitanie", participants[0].Region);
        var list = await Html.GetAsync(client, "/admin", Ct);
        Assert.Contains(list.QuerySelectorAll("table.campaigns a"), a => a.GetAttribute("href") == path && a.TextContent == "Baromètre 2026 — fourni");
    }

    [Fact]
    public async Task NewCampaign_WithTheOrganisersContact_KeepsItForTheQuestionnaire()
    {
        using var client = await App.SignedInClientAsync(cancellationToken: Ct);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Name"] = "Baromètre avec contact", ["ModelSource"] = "shipped", ["ShippedModel"] = "maturite-numerique-2019",
            ["ContactName"] = "  Mission numérique ", ["ContactEmail"] = " numerique@exemple.fr ",
        };

        using var response = await OperatorPages.UploadAsync(client, "/admin/campagnes/nouvelle", "main form", fields,
            [new UploadedFile("PanelUpload", "panel.csv", OperatorPages.PanelCsv(OperatorPages.NewCodes(1)))], Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var campaign = await App.WithDbAsync(db => db.Campaigns.AsNoTracking().SingleAsync(c => c.Name == "Baromètre avec contact", Ct));
        Assert.Equal(("Mission numérique", "numerique@exemple.fr"), (campaign.ContactName, campaign.ContactEmail));
    }

    [Theory]
    [InlineData("Mission", "pas une adresse", "L'adresse du contact « pas une adresse » n'est pas une adresse électronique.")]
    [InlineData("Mission\u0007", "", "Le nom du contact contient un caractère de contrôle (U+0007, position 8) : il tient sur une ligne, sans caractère de contrôle.")]
    [InlineData("N*201", "", "Le nom du contact dépasse 200 caractères (201).")]
    public async Task NewCampaign_InvalidContact_IsAFrenchErrorAndCreatesNothing(string name, string email, string message)
    {
        name = name == "N*201" ? new string('N', 201) : name;
        using var client = await App.SignedInClientAsync(cancellationToken: Ct);
        var before = await App.WithDbAsync(db => db.Campaigns.CountAsync(Ct));
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Name"] = "Baromètre au contact invalide", ["ModelSource"] = "shipped", ["ShippedModel"] = "maturite-numerique-2019",
            ["ContactName"] = name, ["ContactEmail"] = email,
        };

        using var response = await OperatorPages.UploadAsync(client, "/admin/campagnes/nouvelle", "main form", fields,
            [new UploadedFile("PanelUpload", "panel.csv", OperatorPages.PanelCsv(OperatorPages.NewCodes(1)))], Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(message, (await Html.ParseAsync(response, Ct)).QuerySelectorAll("[role=alert] li").Select(li => li.TextContent.Trim()));
        Assert.Equal(before, await App.WithDbAsync(db => db.Campaigns.CountAsync(Ct)));
    }

    [Fact]
    public async Task NewCampaign_UploadedModel_UsesThatModel()
    {
        using var client = await App.SignedInClientAsync(cancellationToken: Ct);

        var id = await OperatorPages.CreateCampaignAsync(client, "Baromètre de test téléversé", OperatorPages.PanelCsv(OperatorPages.NewCodes(2)), TestModels.Small, cancellationToken: Ct);

        var campaign = await App.WithDbAsync(db => db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == id, Ct));
        Assert.Equal("modele-test", campaign.ModelId);
        var followUp = Html.Text(await Html.GetAsync(client, $"/admin/campagnes/{id}", Ct));
        Assert.Contains("Référentiel modele-test (5 questions en 2 thèmes)", followUp, StringComparison.Ordinal);
    }

    /// <summary>A panel as a spreadsheet saves it: numbers (populations) stored as numbers, on a sheet named « Panel ».</summary>
    private static byte[] PanelWorkbook(IEnumerable<object?[]> rows)
    {
        using var stream = new MemoryStream();
        var header = new object?[] { "code", "nom", "type", "population", "region", "email" };
        MiniExcelLibs.MiniExcel.SaveAs(stream, new[] { header }.Concat(rows)
            .Select(row => Enumerable.Range(0, header.Length).ToDictionary(j => ((char)('A' + j)).ToString(), j => j < row.Length ? row[j] : null)).ToList(),
            printHeader: false, sheetName: "Panel");
        return stream.ToArray();
    }

    private const string WorkbookType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    [Fact]
    public async Task NewCampaign_PanelWorkbook_CreatesTheCampaignWithItsPanel()
    {
        using var client = await App.SignedInClientAsync(cancellationToken: Ct);
        var codes = OperatorPages.NewCodes(2);
        var workbook = PanelWorkbook(codes.Select(code => new object?[] { code, $"Commune {code}", "commune", 12345d, "Occitanie", $"mairie{code}@exemple.fr" }));
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Name"] = "Baromètre d'un classeur", ["ModelSource"] = "shipped", ["ShippedModel"] = "maturite-numerique-2019",
        };

        using var response = await OperatorPages.UploadAsync(client, "/admin/campagnes/nouvelle", "main form", fields,
            [new UploadedFile("PanelUpload", "panel.xlsx", "", WorkbookType, workbook)], Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var id = int.Parse(OperatorPages.PathOf(response.Headers.Location)["/admin/campagnes/".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var participants = await App.WithDbAsync(db => db.Participants.AsNoTracking().Where(p => p.CampaignId == id).OrderBy(p => p.Id).ToListAsync(Ct));
        Assert.Equal(codes, participants.Select(p => p.Code));
        Assert.Equal((12345L, "Occitanie", $"mairie{codes[1]}@exemple.fr"), (participants[1].Population, participants[1].Region, participants[1].Email));
    }

    [Fact]
    public async Task NewCampaign_BadPanelWorkbook_ListsItsProblemsBySheetRowAndColumnAndCreatesNothing()
    {
        using var client = await App.SignedInClientAsync(cancellationToken: Ct);
        var before = await App.WithDbAsync(db => db.Campaigns.CountAsync(Ct));
        var codes = OperatorPages.NewCodes(2);
        var workbook = PanelWorkbook(
        [
            [codes[0], "Commune A", "commune", 1000d, "Occitanie", "a@exemple.fr"],
            [codes[1], "Commune B", "commune", "mille", "Occitanie", "b@exemple.fr"],
        ]);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Name"] = "Baromètre d'un classeur refusé", ["ModelSource"] = "shipped", ["ShippedModel"] = "maturite-numerique-2019",
        };

        // Uploaded under a CSV's name: the content says it is a workbook.
        using var response = await OperatorPages.UploadAsync(client, "/admin/campagnes/nouvelle", "main form", fields,
            [new UploadedFile("PanelUpload", "panel.csv", "", "text/csv", workbook)], Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response, Ct);
        Assert.Equal(
            ["panel.csv, feuille « Panel », ligne 3, colonne D : colonne population : « mille » n'est pas un nombre d'habitants (entier positif)"],
            page.QuerySelectorAll("ul.problems li").Select(li => li.TextContent.Trim()));
        Assert.Equal(before, await App.WithDbAsync(db => db.Campaigns.CountAsync(Ct)));
    }

    [Fact]
    public async Task NewCampaign_BadPanel_ListsEveryProblemWithItsLineAndCreatesNothing()
    {
        using var client = await App.SignedInClientAsync(cancellationToken: Ct);
        var before = await App.WithDbAsync(db => db.Campaigns.CountAsync(Ct));
        var codes = OperatorPages.NewCodes(3);
        var panel = "code;nom;email\n"
            + $"{codes[0]};Commune A;a@exemple.fr\n"
            + $"{codes[1]};Commune B;pas-une-adresse\n"
            + $"{codes[0]};Commune A bis;abis@exemple.fr\n"
            + $"{codes[2]};Commune C;c@exemple.fr\n";

        using var response = await OperatorPages.PostNewCampaignAsync(client, "Baromètre refusé", panel, cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response, Ct);
        Assert.Contains("La campagne n'a pas été créée", Html.Text(page), StringComparison.Ordinal);
        Assert.Equal("Problèmes du panel", page.QuerySelector("h2.problems-title")!.TextContent.Trim());
        var problems = page.QuerySelectorAll("ul.problems li").Select(li => li.TextContent.Trim()).ToList();
        Assert.Equal(2, problems.Count);
        Assert.StartsWith("panel.csv:3:3: colonne email : « pas-une-adresse »", problems[0], StringComparison.Ordinal);
        Assert.Equal($"panel.csv:4:1: code « {codes[0]} » en double (déjà ligne 2)", problems[1]);
        Assert.Contains("2 problèmes empêchent l'import", Html.Text(page), StringComparison.Ordinal);
        // The name typed is kept; the files must be chosen again.
        Assert.Equal("Baromètre refusé", page.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("input[name=Name]")!.Value);
        Assert.Equal(before, await App.WithDbAsync(db => db.Campaigns.CountAsync(Ct)));
        Assert.False(await App.WithDbAsync(db => db.Participants.AnyAsync(p => codes.Contains(p.Code), Ct)));
    }

    [Fact]
    public async Task NewCampaign_BadModelAndBadPanel_ListsBothAndCreatesNothing()
    {
        using var client = await App.SignedInClientAsync(cancellationToken: Ct);
        var before = await App.WithDbAsync(db => db.Campaigns.CountAsync(Ct));
        var code = OperatorPages.NewCodes(1)[0];

        using var response = await OperatorPages.PostNewCampaignAsync(client, "", $"code;nom;population\n{code};Commune;beaucoup\n", "id: x\nthemes: []\n", cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response, Ct);
        Assert.Contains("Donnez un nom à la campagne", Html.Text(page), StringComparison.Ordinal);
        Assert.Equal(["Problèmes du référentiel", "Problèmes du panel"], page.QuerySelectorAll("h2.problems-title").Select(h => h.TextContent.Trim()));
        Assert.Contains(page.QuerySelectorAll("ul.problems li"), li => li.TextContent.StartsWith("panel.csv:2:3: colonne population", StringComparison.Ordinal));
        Assert.Contains(page.QuerySelectorAll("ul.problems li"), li => li.TextContent.StartsWith("referentiel.yaml", StringComparison.Ordinal));
        Assert.Equal(before, await App.WithDbAsync(db => db.Campaigns.CountAsync(Ct)));
    }

    [Theory]
    [InlineData("Baromètre\u00002026", "Le nom de la campagne contient un caractère de contrôle (U+0000, position 10) : il tient sur une ligne, sans caractère de contrôle.")]
    [InlineData("Baromètre\u001B[31m", "Le nom de la campagne contient un caractère de contrôle (U+001B, position 10) : il tient sur une ligne, sans caractère de contrôle.")]
    [InlineData("N*201", "Le nom de la campagne dépasse 200 caractères (201).")]
    public async Task NewCampaign_NameWithControlCharacterOrTooLong_IsRefusedAndCreatesNothing(string name, string message)
    {
        // U+0000 used to reach PostgreSQL, which refused it with a 500.
        name = name == "N*201" ? new string('N', 201) : name;
        using var client = await App.SignedInClientAsync(cancellationToken: Ct);
        var before = await App.WithDbAsync(db => db.Campaigns.CountAsync(Ct));

        using var response = await OperatorPages.PostNewCampaignAsync(client, name, OperatorPages.PanelCsv(OperatorPages.NewCodes(2)), cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response, Ct);
        Assert.Equal([message], page.QuerySelectorAll(".notice.error ul li").Select(li => li.TextContent.Trim()));
        Assert.Equal(before, await App.WithDbAsync(db => db.Campaigns.CountAsync(Ct)));
    }

    [Fact]
    public async Task NewCampaign_AliasBombModel_IsRefusedWithItsLocationAndCreatesNothing()
    {
        using var client = await App.SignedInClientAsync(cancellationToken: Ct);
        var before = await App.WithDbAsync(db => db.Campaigns.CountAsync(Ct));
        var code = OperatorPages.NewCodes(1)[0];
        // 39 Ko: a theme repeated by 2,150 aliases, each holding 2,150 aliases of one question (4.6 million questions).
        var bomb = "id: bombe\nthemes:\n  - &t\n    id: t\n    title: T\n    questions:\n      - &q {id: t.q, label: Q}\n"
            + string.Concat(Enumerable.Repeat("      - *q\n", 2_150)) + string.Concat(Enumerable.Repeat("  - *t\n", 2_150));

        using var response = await OperatorPages.PostNewCampaignAsync(client, "Bombe", OperatorPages.PanelCsv([code]), bomb, cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response, Ct);
        Assert.Equal(["Problèmes du référentiel"], page.QuerySelectorAll("h2.problems-title").Select(h => h.TextContent.Trim()));
        Assert.Equal(
            ["referentiel.yaml:2166:5: plus de 100\u202F000 éléments une fois les alias (*nom) remplacés par ce que désignent leurs ancres : un référentiel en a quelques milliers"],
            page.QuerySelectorAll("ul.problems li").Select(li => li.TextContent.Trim()));
        Assert.Equal(before, await App.WithDbAsync(db => db.Campaigns.CountAsync(Ct)));
        Assert.False(await App.WithDbAsync(db => db.Participants.AnyAsync(p => p.Code == code, Ct)));
    }

    [Fact]
    public async Task NewCampaign_Latin1Model_IsRefusedAsTheCommandLineRefusesIt()
    {
        using var client = await App.SignedInClientAsync(cancellationToken: Ct);
        var before = await App.WithDbAsync(db => db.Campaigns.CountAsync(Ct));
        var form = await Html.GetAsync(client, "/admin/campagnes/nouvelle", Ct);
        var model = new ByteArrayContent(System.Text.Encoding.Latin1.GetBytes("id: x\ntitle: Référentiel\nthemes:\n  - id: t\n    title: Thème\n    questions: [{id: t.q, label: Q}]\n"));
        using var content = new MultipartFormDataContent
        {
            { new StringContent(Html.AntiforgeryToken(form, "main form")), Html.AntiforgeryField },
            { new StringContent("Accents perdus"), "Name" },
            { new StringContent("file"), "ModelSource" },
            { model, "ModelUpload", "latin1.yaml" },
            { new StringContent(OperatorPages.PanelCsv(OperatorPages.NewCodes(1))), "PanelUpload", "panel.csv" },
        };

        using var response = await client.PostAsync("/admin/campagnes/nouvelle", content, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response, Ct);
        Assert.Equal(
            ["latin1.yaml:2:9: le fichier n'est pas encodé en UTF-8 : enregistrez-le en UTF-8 et déposez-le à nouveau"],
            page.QuerySelectorAll("ul.problems li").Select(li => li.TextContent.Trim()));
        Assert.Equal(before, await App.WithDbAsync(db => db.Campaigns.CountAsync(Ct)));
    }

    [Fact]
    public async Task NewCampaign_WithoutAntiforgeryToken_IsRefused()
    {
        using var client = await App.SignedInClientAsync(cancellationToken: Ct);
        var before = await App.WithDbAsync(db => db.Campaigns.CountAsync(Ct));

        using var response = await OperatorPages.PostMultipartAsync(client, "/admin/campagnes/nouvelle",
            [new("Name", "Sans jeton"), new("ModelSource", "shipped"), new("ShippedModel", "maturite-numerique-2019")],
            [new UploadedFile("PanelUpload", "panel.csv", OperatorPages.PanelCsv(OperatorPages.NewCodes(1)))], Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await App.WithDbAsync(db => db.Campaigns.CountAsync(Ct)));
    }
}

public sealed class CampaignCreationTests_Sqlite(SqliteDatabase database) : CampaignCreationTests<SqliteDatabase>(database);

public sealed class CampaignCreationTests_Postgres(PostgresDatabase database) : CampaignCreationTests<PostgresDatabase>(database);
