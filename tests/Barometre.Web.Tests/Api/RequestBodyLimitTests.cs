using System.Net;
using System.Text;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Barometre.Web.Tests.Api;

/// <summary>
/// Request bodies have a limit fitted to what the endpoint reads: the largest valid request passes, anything bigger gets
/// 413 in French, and an oversized body is not read (it used to be, up to Kestrel's 30 Mo).
/// </summary>
public abstract class RequestBodyLimitTests<TDatabase>(TDatabase database) : WebTest<TDatabase>(database), IClassFixture<TDatabase>
    where TDatabase : TestDatabase
{
    private const long ThirtyMegabytes = 30L * 1024 * 1024;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Put_ThirtyMegabyteBody_Returns413InFrenchWithoutReadingIt(bool declaredLength)
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri($"/api/questionnaire/{campaign.A.Token}/answers/gouvernance.strategie", UriKind.Relative));
        using var body = new GeneratedBody("{\"level\": 1, \"comment\": \"", ThirtyMegabytes, declaredLength, "application/json");
        request.Content = body;

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync(Ct);
        Assert.Equal("Requête trop volumineuse", problem.GetProperty("title").GetString());
        Assert.Equal("Le corps de la requête dépasse 64\u202FKo, la taille admise à cette adresse : rien n'a été lu ni enregistré.", problem.GetProperty("detail").GetString());
        Assert.True(body.Sent < 1024 * 1024, $"{body.Sent} bytes of the body were taken.");
        Assert.Equal(0, (await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Answer("gouvernance.strategie").Version);
    }

    [Fact]
    public async Task Put_LargestValidAnswerEveryCharacterEscaped_IsSaved()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        var comment = string.Concat(Enumerable.Repeat("\\u20ac", 4000));
        var url = "https://exemple.fr/" + string.Concat(Enumerable.Repeat("\\u0061", 2000 - 19));
        var json = $$"""{ "level": 4, "status": null, "comment": "{{comment}}", "evidenceUrl": "{{url}}", "evidenceText": "{{comment}}" }""";
        Assert.True(json.Length > 59_900, $"{json.Length}");

        using var response = await client.PutAnswerAsync(campaign.A.Token, "gouvernance.strategie", json, cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = (await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Answer("gouvernance.strategie");
        Assert.Equal((new string('€', 4000), 2000), (stored.Comment, stored.EvidenceUrl!.Length));
    }

    [Fact]
    public async Task Submit_WithABody_Returns413AndSubmitsNothing()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();

        using var response = await client.PostAsync(new Uri($"/api/questionnaire/{campaign.A.Token}/submit", UriKind.Relative),
            new StringContent(new string(' ', 4096), Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("Le corps de la requête dépasse 1\u202FKo, la taille admise à cette adresse : rien n'a été lu ni enregistré.",
            (await response.JsonAsync(Ct)).GetProperty("detail").GetString());
        Assert.Equal("not_started", (await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Status);
    }

    [Fact]
    public async Task ThemeForm_LargestValidPostOfTheWholeTheme_IsSaved()
    {
        // Every question of the theme at its longest, in three-byte characters, and stored so already: the form carries
        // each text twice (the field and the hidden copy of the stored answer), nine bytes a character.
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        var text = new string('€', 4000);
        var url = "https://exemple.fr/" + new string('€', 2000 - 19);
        var theme = campaign.Model.Themes[0];
        foreach (var question in theme.Questions)
        {
            using var saved = await client.PutAnswerAsync(campaign.A.Token, question.Id, new { level = 1, comment = text, evidenceUrl = url, evidenceText = text }, cancellationToken: Ct);
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        }
        var page = await Html.GetAsync(client, $"{campaign.A.Home}/theme/1", Ct);
        var fields = Html.Fields(page.QuerySelector("form#questionnaire")!);
        for (var i = 0; i < theme.Questions.Count; i++)
        {
            Html.Set(fields, $"Posted[{i}].Choice", "3");
            Html.Set(fields, $"Posted[{i}].Comment", new string('¤', 1) + text[1..]);
        }
        fields.Add(new("Go", "save"));
        using var content = new FormUrlEncodedContent(fields);
        var length = (await content.ReadAsByteArrayAsync(Ct)).Length;
        Assert.True(length > 0.9 * (theme.Questions.Count * 2 * 10_000 * 9), $"{length} bytes");

        using var response = await client.PostAsync(new Uri($"{campaign.A.Home}/theme/1", UriKind.Relative), content, Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var document = await client.ReadQuestionnaireAsync(campaign.A.Token, Ct);
        Assert.All(theme.Questions, q => Assert.Equal((3, 2), (document.Answer(q.Id).Level, document.Answer(q.Id).Version)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ThemeForm_PostOverTheThemesLimit_Shows413PageAndSavesNothing(bool declaredLength)
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var client = Client();
        var page = await Html.GetAsync(client, $"{campaign.A.Home}/theme/2", Ct);
        var fields = Html.Fields(page.QuerySelector("form#questionnaire")!);
        Html.Set(fields, "Posted[0].Choice", "2");
        var form = await new FormUrlEncodedContent(fields).ReadAsStringAsync(Ct);
        // Theme 2 has 2 questions: its limit is 4 Ko + 2 × ≈ 181 Ko.
        using var body = new GeneratedBody(form + "&Posted%5B0%5D.Comment=", 2 * 1024 * 1024, declaredLength, "application/x-www-form-urlencoded");

        using var response = await client.PostAsync(new Uri($"{campaign.A.Home}/theme/2", UriKind.Relative), body, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var shown = await Html.ParseAsync(response, Ct);
        Assert.Equal("Requête trop volumineuse", shown.QuerySelector("h1")!.TextContent.Trim());
        Assert.Contains("rien n'a été enregistré", Html.Text(shown), StringComparison.Ordinal);
        Assert.True(body.Sent < 1024 * 1024, $"{body.Sent} bytes of the body were taken.");
        Assert.Equal(0, (await client.ReadQuestionnaireAsync(campaign.A.Token, Ct)).Answered);
    }

    [Fact]
    public async Task OperatorAnswerForm_LargestValidPost_FitsTheDefaultLimit()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        using var operatorClient = await App.SignedInClientAsync(cancellationToken: Ct);
        var path = $"/admin/campagnes/{campaign.Id}/collectivites/{campaign.A.ParticipantId}?question=gouvernance.strategie";
        var text = new string('€', 4000);

        using var response = await OperatorPages.SubmitAsync(operatorClient, path, "form.operator-answer", fields =>
        {
            Html.Set(fields, "Answer.Choice", "2");
            Html.Set(fields, "Answer.Comment", text);
            Html.Set(fields, "Answer.EvidenceUrl", "https://exemple.fr/" + new string('€', 2000 - 19));
            Html.Set(fields, "Answer.EvidenceText", text);
        }, Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(text, (await Client().ReadQuestionnaireAsync(campaign.A.Token, Ct)).Answer("gouvernance.strategie").Comment);
    }

    [Fact]
    public async Task SignIn_PostOverTheDefaultLimit_Shows413Page()
    {
        using var client = Client();

        using var response = await client.PostAsync(new Uri("/admin/connexion", UriKind.Relative),
            new FormUrlEncodedContent([new("Email", "a@exemple.fr"), new("Password", new string('x', 200_000))]), Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("Requête trop volumineuse", (await Html.ParseAsync(response, Ct)).QuerySelector("h1")!.TextContent.Trim());
    }

    [Fact]
    public async Task NewCampaign_UploadOfSeveralMegabytes_KeepsTheUploadLimit()
    {
        using var client = await App.SignedInClientAsync(cancellationToken: Ct);
        var before = await App.WithDbAsync(db => db.Campaigns.CountAsync(Ct));
        var form = await Html.GetAsync(client, "/admin/campagnes/nouvelle", Ct);

        // An unused model file of 3 Mo besides the shipped model: far over the default limit, within the uploads'.
        using var response = await OperatorPages.PostMultipartAsync(client, "/admin/campagnes/nouvelle",
            [new(Html.AntiforgeryField, Html.AntiforgeryToken(form)), new("Name", "Baromètre téléversé"), new("ModelSource", "shipped"), new("ShippedModel", "maturite-numerique-2019")],
            [new UploadedFile("PanelUpload", "panel.csv", OperatorPages.PanelCsv(OperatorPages.NewCodes(2))),
                new UploadedFile("ModelUpload", "inutile.yaml", "# " + new string('x', 3 * 1024 * 1024), "application/yaml")], Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(before + 1, await App.WithDbAsync(db => db.Campaigns.CountAsync(Ct)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RealServer_ThirtyMegabyteBody_Returns413WithoutReadingIt(bool declaredLength)
    {
        Database.RequireAvailable();
        // Kestrel, as `barometre serve` runs it, spoken to over a socket: the client keeps sending while the server answers.
        await using var server = await BarometreServer.BuildAsync(new ServerSettings(Database.DataDirectory, Database.ConnectionString, "http://127.0.0.1:0"));
        await server.StartAsync(Ct);
        var address = new Uri(server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        var campaign = await Seeding.SeedCampaignAsync(server.Services, cancellationToken: Ct);
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port, Ct);
        var stream = tcp.GetStream();
        var head = $"PUT /api/questionnaire/{campaign.A.Token}/answers/gouvernance.strategie HTTP/1.1\r\nHost: {address.Authority}\r\nContent-Type: application/json\r\n"
            + (declaredLength ? $"Content-Length: {ThirtyMegabytes}\r\n\r\n{{\"comment\": \"" : "Transfer-Encoding: chunked\r\n\r\nd\r\n{\"comment\": \"\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), Ct);
        var reading = ReadResponseHeadAsync(stream);
        var chunk = Encoding.ASCII.GetBytes(declaredLength ? new string('a', 16 * 1024) : $"4000\r\n{new string('a', 16 * 1024)}\r\n");
        long sent = 0;
        using var sending = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        sending.CancelAfter(TimeSpan.FromSeconds(20));
        try
        {
            while (!reading.IsCompleted && sent < ThirtyMegabytes)
            {
                await stream.WriteAsync(chunk, sending.Token);
                sent += chunk.Length;
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The server closed the connection after answering, or stopped reading: what counts is its answer.
        }

        var response = await reading.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        Assert.StartsWith("HTTP/1.1 413 ", response, StringComparison.Ordinal);
        Assert.Contains("application/problem+json", response, StringComparison.Ordinal);
        Assert.True(sent < ThirtyMegabytes / 2, $"{sent} bytes sent before the answer.");
        await server.StopAsync(Ct);
    }

    /// <summary>The status line and headers of an HTTP/1.1 response.</summary>
    private static async Task<string> ReadResponseHeadAsync(Stream stream)
    {
        var head = new StringBuilder();
        var buffer = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(buffer, Ct) == 1)
        {
            head.Append((char)buffer[0]);
        }
        return head.ToString();
    }

    /// <summary>A body of <c>prefix</c> then « a » up to <c>length</c> bytes, made as it is sent; counts what was taken.</summary>
    private sealed class GeneratedBody : HttpContent
    {
        private readonly byte[] _prefix;
        private readonly long _length;
        private readonly bool _declaredLength;
        private long _sent;

        public GeneratedBody(string prefix, long length, bool declaredLength, string contentType)
        {
            _prefix = Encoding.UTF8.GetBytes(prefix);
            _length = length;
            _declaredLength = declaredLength;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }

        /// <summary>Bytes handed to the transport so far.</summary>
        public long Sent => Interlocked.Read(ref _sent);

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(_prefix);
            Interlocked.Add(ref _sent, _prefix.Length);
            var chunk = Enumerable.Repeat((byte)'a', 16 * 1024).ToArray();
            for (var left = _length - _prefix.Length; left > 0; left -= chunk.Length)
            {
                var count = (int)Math.Min(chunk.Length, left);
                await stream.WriteAsync(chunk.AsMemory(0, count));
                Interlocked.Add(ref _sent, count);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _length;
            return _declaredLength;
        }
    }
}

public sealed class RequestBodyLimitTests_Sqlite(SqliteDatabase database) : RequestBodyLimitTests<SqliteDatabase>(database);

public sealed class RequestBodyLimitTests_Postgres(PostgresDatabase database) : RequestBodyLimitTests<PostgresDatabase>(database);
