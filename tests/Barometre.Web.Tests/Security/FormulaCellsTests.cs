using System.Globalization;
using System.Net;
using System.Text;
using Barometre.Core.Responses;
using Barometre.Data.Campaigns;
using Barometre.Data.Import;
using Barometre.Web.Tests.Infrastructure;
using CsvHelper;
using Microsoft.Extensions.DependencyInjection;

namespace Barometre.Web.Tests.Security;

/// <summary>
/// Collectivités whose names, codes, types and regions open a formula in a spreadsheet (« =HYPERLINK(…) »,
/// « -Est »): neutralised in the operator's CSV downloads, and read back to the very same values when the
/// operator imports an export again or the closed campaign's snapshot is read.
/// </summary>
public abstract class FormulaCellsTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private static List<PanelEntry> HostilePanel()
    {
        var codes = OperatorPages.NewCodes(3);
        return
        [
            new(new Respondent("-" + codes[0], "=HYPERLINK(\"http://pirate.example/\",\"Cliquez ici\")", "=commune", 1_000, "-Est"), "-dgs@exemple.fr"),
            new(new Respondent(codes[1], "-Est Agglomération", "commune", 2_000, "+Ouest"), null),
            new(new Respondent(codes[2], "@Nord", "+commune", 3_000, "-Est"), null),
        ];
    }

    private static List<string[]> Rows(string csv)
    {
        using var reader = new StringReader(csv.TrimStart('\uFEFF'));
        using var parser = new CsvParser(reader, CultureInfo.InvariantCulture);
        var rows = new List<string[]>();
        while (parser.Read())
        {
            rows.Add(parser.Record!);
        }
        return rows;
    }

    private static bool OpensAFormula(string cell) => cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    [Fact]
    public async Task AnswersDownload_FormulaLeadingTexts_AreNeutralisedAndTheFileImportsBackUnchanged()
    {
        var campaign = await App.SeedCampaignAsync(panel: HostilePanel(), cancellationToken: Ct);
        using var operatorClient = await App.SignedInClientAsync(cancellationToken: Ct);
        using var respondent = Client();
        (await respondent.PutAnswerAsync(campaign.A.Token, campaign.QuestionIds[0], new { level = 2 }, cancellationToken: Ct)).Dispose();

        using var download = await operatorClient.GetAsync(new Uri($"/admin/campagnes/{campaign.Id}/reponses?handler=Template", UriKind.Relative), Ct);
        var csv = await download.Content.ReadAsStringAsync(Ct);

        var rows = Rows(csv);
        Assert.DoesNotContain(rows.SelectMany(row => row), OpensAFormula);
        var first = rows.Single(row => row[0] == "'" + campaign.A.Code);
        Assert.Equal(["'=HYPERLINK(\"http://pirate.example/\",\"Cliquez ici\")", "'=commune", "1000", "'-Est", "2"], first[1..6]);

        using var import = await OperatorPages.UploadAsync(operatorClient, $"/admin/campagnes/{campaign.Id}/reponses", "main form[enctype='multipart/form-data']",
            new Dictionary<string, string>(), [new UploadedFile("ResponsesUpload", "export.csv", csv.TrimStart('\uFEFF'))], Ct);

        Assert.Equal(HttpStatusCode.Redirect, import.StatusCode);
        var page = await Html.GetAsync(operatorClient, $"/admin/campagnes/{campaign.Id}/reponses", Ct);
        Assert.Equal("« export.csv » lu (3 collectivité(s)) : aucune réponse ne change.", page.QuerySelector("[role=status]")!.TextContent.Trim());
    }

    [Fact]
    public async Task ClosedCampaign_SnapshotOfFormulaLeadingTexts_ReadsBackToTheSameRespondentsAndAnswers()
    {
        var panel = HostilePanel();
        var campaign = await App.SeedCampaignAsync(panel: panel, cancellationToken: Ct);
        using var respondent = Client();
        var levels = new Dictionary<string, int> { [campaign.A.Code] = 1, [campaign.B.Code] = 3, [campaign.C.Code] = 4 };
        foreach (var collectivite in campaign.Collectivites)
        {
            foreach (var question in campaign.QuestionIds)
            {
                (await respondent.PutAnswerAsync(collectivite.Token, question, new { level = levels[collectivite.Code] }, cancellationToken: Ct)).Dispose();
            }
            (await respondent.SubmitAsync(collectivite.Token, cancellationToken: Ct)).Dispose();
        }
        await App.CloseAsync(campaign, null, Ct);
        using var operatorClient = await App.SignedInClientAsync(cancellationToken: Ct);

        using var download = await operatorClient.GetAsync(new Uri($"/admin/campagnes/{campaign.Id}/resultats?handler=Csv", UriKind.Relative), Ct);
        var snapshot = await download.Content.ReadAsByteArrayAsync(Ct);

        Assert.DoesNotContain(Rows(Encoding.UTF8.GetString(snapshot)).SelectMany(row => row), OpensAFormula);
        var read = ResponsesCsv.Read(new MemoryStream(snapshot), "instantané", campaign.Model);
        Assert.True(read.Succeeded, string.Join('\n', read.Problems));
        Assert.Equal(panel.Select(entry => entry.Respondent).OrderBy(r => r.Code, StringComparer.Ordinal), read.Value!.Respondents.OrderBy(r => r.Code, StringComparer.Ordinal));
        for (var r = 0; r < read.Value.Count; r++)
        {
            var expected = levels[read.Value.Respondents[r].Code];
            Assert.All(read.Value.Row(r).ToArray(), cell => Assert.Equal(expected, (int)cell));
        }

        // The public results of a region are computed from the snapshot read back: « -Est » is the panel's region.
        var outcome = await App.InScopeAsync(services => services.GetRequiredService<CampaignLifecycle>().PublishAsync(campaign.Id, 1, Seeding.Operator, Ct));
        Assert.IsType<PublishOutcome.Published>(outcome);
        using var anonymous = Client();
        using var results = await anonymous.GetAsync(new Uri($"/api/campaigns/{campaign.Id}/results?region={Uri.EscapeDataString("-Est")}", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, results.StatusCode);
        var json = await results.JsonAsync(Ct);
        Assert.Equal(("-Est", 2), (json.GetProperty("filter").GetProperty("region").GetString(), json.GetProperty("respondents").GetInt32()));
    }
}

public sealed class FormulaCellsTests_Sqlite(SqliteDatabase database) : FormulaCellsTests<SqliteDatabase>(database);

public sealed class FormulaCellsTests_Postgres(PostgresDatabase database) : FormulaCellsTests<PostgresDatabase>(database);
