using System.Globalization;
using System.Text.RegularExpressions;
using Barometre.Data.Import;
using Barometre.Testing.Mail;
using Microsoft.Extensions.Time.Testing;

namespace Barometre.Cli.Tests;

/// <summary><c>barometre campaign send</c> against a real SMTP server on loopback, and the links it sends followed through the app.</summary>
public abstract partial class CampaignSendCommandTest : CliStoreTest
{
    private const string Model = "maturite-numerique-2019";

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    private Task<CliRun> RunAsync(SmtpSink? sink, params string[] args) =>
        Cli.RunAsync([.. args, .. Store.Options], clock: _clock, settings: sink?.Settings());

    private async Task<string> CreateCampaignAsync(int collectivites)
    {
        var panel = "code;nom;type;population;region;email\n"
            + string.Concat(Enumerable.Range(1, collectivites).Select(n => $"CC{n:D3};Communauté n°{n};communauté de communes;{12_000 + n};Bretagne;dgs{n}@exemple.fr\n"));
        var run = await RunAsync(null, "campaign", "create", "--model", Model, "--name", "Baromètre 2026", "--panel", Store.File("panel.csv", panel));
        Assert.True(run.ExitCode == 0, run.Error);
        return run.Out.Trim();
    }

    [Fact]
    public async Task Send_InvitationsReachEveryAddress_WithALinkThatOpensTheRightQuestionnaire()
    {
        await using var sink = await SmtpSink.StartAsync();
        var id = await CreateCampaignAsync(3);
        await using var server = await Store.ServerAsync();
        await server.StartAsync(Ct);
        var site = server.Urls.Single().TrimEnd('/');

        var run = await RunAsync(sink, "campaign", "send", "-c", id, "--base-url", site);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(
            [
                "CC001\tdgs1@exemple.fr\tinvitation : envoyé",
                "CC002\tdgs2@exemple.fr\tinvitation : envoyé",
                "CC003\tdgs3@exemple.fr\tinvitation : envoyé",
                "# 3 courriels envoyés, 0 refusé, 0 collectivité ignorée.",
            ],
            Lines(run.Out));
        var messages = sink.Messages();
        Assert.Equal(["dgs1@exemple.fr", "dgs2@exemple.fr", "dgs3@exemple.fr"], messages.Select(m => m.To.Mailboxes.Single().Address));
        using var http = new HttpClient();
        for (var n = 1; n <= 3; n++)
        {
            var link = Assert.Single(LinksIn(messages[n - 1].TextBody, site));
            Assert.Equal([link], LinksIn(messages[n - 1].HtmlBody, site));
            var home = await http.GetStringAsync(new Uri(link), Ct);
            Assert.Contains($"Communauté n°{n}", home, StringComparison.Ordinal);
            Assert.DoesNotContain($"Communauté n°{(n % 3) + 1}", home, StringComparison.Ordinal);
        }
        // Sending again sends nothing new: each collectivité has its invitation.
        var again = await RunAsync(sink, "campaign", "send", "-c", id, "--base-url", site);
        Assert.Equal(3, sink.Messages().Count);
        Assert.Contains("CC001\tdgs1@exemple.fr\tignorée : dernier courriel le ", again.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_OnlyNotSubmitted_ReachesExactlyThoseWhoHaveNotSubmitted_WithAReminder()
    {
        await using var sink = await SmtpSink.StartAsync();
        var id = await CreateCampaignAsync(5);
        Assert.Equal(0, (await RunAsync(sink, "campaign", "send", "-c", id, "--base-url", "https://barometre.exemple.fr")).ExitCode);
        var questions = ShippedModels.Load(Model).Questions;
        var responses = "code;nom;" + string.Join(';', questions.Select(q => q.Id)) + "\n"
            + string.Concat(new[] { "CC002", "CC004" }.Select(code => $"{code};Communauté;{string.Join(';', questions.Select(_ => "2"))}\n"));
        var import = await RunAsync(null, "campaign", "import-answers", "-c", id, "--responses", Store.File("reponses.csv", responses), "--submit");
        Assert.True(import.ExitCode == 0, import.Error);
        _clock.Advance(TimeSpan.FromDays(7));

        var run = await RunAsync(sink, "campaign", "send", "-c", id, "--base-url", "https://barometre.exemple.fr", "--only", "not-submitted");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(
            [
                "CC001\tdgs1@exemple.fr\trelance n° 1 : envoyé",
                "CC003\tdgs3@exemple.fr\trelance n° 1 : envoyé",
                "CC005\tdgs5@exemple.fr\trelance n° 1 : envoyé",
                "# 3 courriels envoyés, 0 refusé, 0 collectivité ignorée.",
            ],
            Lines(run.Out));
        var reminders = sink.Messages().Skip(5).ToList();
        Assert.Equal(["dgs1@exemple.fr", "dgs3@exemple.fr", "dgs5@exemple.fr"], reminders.Select(m => m.To.Mailboxes.Single().Address));
        Assert.All(reminders, m => Assert.StartsWith("Rappel : le questionnaire de Communauté n°", m.Subject, StringComparison.Ordinal));
        // Each reminder carries the invitation's link.
        var invitations = sink.Messages().Take(5).ToList();
        Assert.Equal(LinksIn(invitations[0].TextBody, "https://barometre.exemple.fr"), LinksIn(reminders[0].TextBody, "https://barometre.exemple.fr"));
    }

    [Fact]
    public async Task Send_RefusedAddress_IsPrintedWithTheServersReply_AndTheOthersGo()
    {
        await using var sink = await SmtpSink.StartAsync("dgs2@exemple.fr");
        var id = await CreateCampaignAsync(3);

        var run = await RunAsync(sink, "campaign", "send", "-c", id, "--base-url", "https://barometre.exemple.fr");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(
            [
                "CC001\tdgs1@exemple.fr\tinvitation : envoyé",
                "CC002\tdgs2@exemple.fr\tinvitation : refusé par le serveur : 550 5.1.1 Adresse inconnue",
                "CC003\tdgs3@exemple.fr\tinvitation : envoyé",
                "# 2 courriels envoyés, 1 refusé, 0 collectivité ignorée.",
            ],
            Lines(run.Out));
        Assert.Equal(["dgs1@exemple.fr", "dgs3@exemple.fr"], sink.Messages().Select(m => m.To.Mailboxes.Single().Address));
    }

    [Fact]
    public async Task Send_DryRun_SendsNothing_AndPrintsWhatWouldGo()
    {
        await using var sink = await SmtpSink.StartAsync();
        var id = await CreateCampaignAsync(2);

        var dry = await RunAsync(null, "campaign", "send", "-c", id, "--base-url", "https://barometre.exemple.fr", "--dry-run");

        Assert.True(dry.ExitCode == 0, dry.Error);
        Assert.Equal(
            [
                "CC001\tdgs1@exemple.fr\tinvitation : partirait (essai, rien n'est envoyé)",
                "CC002\tdgs2@exemple.fr\tinvitation : partirait (essai, rien n'est envoyé)",
                "# essai : 2 courriels partiraient.",
            ],
            Lines(dry.Out));
        Assert.Empty(sink.Messages());
        // Nothing was queued either: the real send sends each once.
        Assert.Equal(0, (await RunAsync(sink, "campaign", "send", "-c", id, "--base-url", "https://barometre.exemple.fr")).ExitCode);
        Assert.Equal(2, sink.Messages().Count);
    }

    [Fact]
    public async Task Send_WithoutAMailServer_SaysHowToConfigureOne()
    {
        var id = await CreateCampaignAsync(1);

        var run = await RunAsync(null, "campaign", "send", "-c", id, "--base-url", "https://barometre.exemple.fr");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("barometre : aucun serveur de messagerie n'est configuré : définissez au moins Barometre__Smtp__Host et Barometre__Smtp__FromAddress (README, « E-mail »), ou essayez --dry-run.",
            run.Error.Trim());
    }

    [Fact]
    public async Task Send_MailServerUnreachable_LeavesTheMessagesQueued_ExitCode5()
    {
        var id = await CreateCampaignAsync(2);
        int port;
        await using (var sink = await SmtpSink.StartAsync())
        {
            port = sink.Port;
        }
        var settings = new Dictionary<string, string?>
        {
            ["Barometre:Smtp:Host"] = "127.0.0.1", ["Barometre:Smtp:Port"] = port.ToString(CultureInfo.InvariantCulture), ["Barometre:Smtp:Tls"] = "None",
            ["Barometre:Smtp:FromAddress"] = "barometre@exemple.fr",
        };

        var run = await Cli.RunAsync(["campaign", "send", "-c", id, "--base-url", "https://barometre.exemple.fr", .. Store.Options], clock: _clock, settings: settings);

        Assert.Equal(5, run.ExitCode);
        Assert.StartsWith($"barometre : le serveur de messagerie 127.0.0.1:{port} (sans chiffrement) a échoué (", run.Error, StringComparison.Ordinal);
        var dry = await RunAsync(null, "campaign", "send", "-c", id, "--base-url", "https://barometre.exemple.fr", "--dry-run");
        Assert.Contains("# essai : 0 courriel partirait, et 2 courriels déjà en file d'attente.", dry.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bounces_ReadFromTheMailbox_ArePrinted_AndTheAddressIsSkippedUntilCorrected()
    {
        await using var sink = await SmtpSink.StartAsync();
        var id = await CreateCampaignAsync(2);
        Assert.Equal(0, (await RunAsync(sink, "campaign", "send", "-c", id, "--base-url", "https://barometre.exemple.fr")).ExitCode);
        var toSecond = sink.Messages().Single(m => m.To.Mailboxes.Single().Address == "dgs2@exemple.fr");
        await using var mailbox = await ImapMailbox.StartAsync([ImapMailbox.DeliveryReport(toSecond, "dgs2@exemple.fr", diagnostic: "smtp; 550 5.1.1 Mailbox does not exist")]);

        var run = await Cli.RunAsync(["campaign", "bounces", .. Store.Options], clock: _clock, settings: mailbox.Settings());

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(
            [
                $"{id}\tCC002\tdgs2@exemple.fr\tinvitation : revenu en erreur : 550 5.1.1 Mailbox does not exist",
                "# 1 courriel revenu en erreur enregistré.",
            ],
            Lines(run.Out));
        var again = await Cli.RunAsync(["campaign", "bounces", .. Store.Options], clock: _clock, settings: mailbox.Settings());
        Assert.Equal(["# 0 courriel revenu en erreur enregistré."], Lines(again.Out));
        _clock.Advance(TimeSpan.FromDays(7));
        var reminders = await RunAsync(null, "campaign", "send", "-c", id, "--base-url", "https://barometre.exemple.fr", "--dry-run");
        Assert.Contains("CC002\tdgs2@exemple.fr\tignorée : adresse en échec depuis le ", reminders.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bounces_WithoutAMailbox_SaysHowToConfigureOne()
    {
        var run = await Cli.RunAsync(["campaign", "bounces", .. Store.Options], clock: _clock);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("barometre : aucune boîte n'est configurée : définissez au moins Barometre__Imap__Host, Barometre__Imap__User et Barometre__Imap__Password (README, « E-mail »).",
            run.Error.Trim());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static List<string> LinksIn(string? body, string site) =>
        [.. LinkPattern().Matches(body ?? "").Select(m => m.Value).Where(link => link.StartsWith(site + "/q/", StringComparison.Ordinal)).Distinct()];

    [GeneratedRegex(@"https?://[^\s""<>]+/q/[A-Za-z0-9_-]{43}")]
    private static partial Regex LinkPattern();
}

public sealed class CampaignSendCommandTest_Sqlite : CampaignSendCommandTest
{
    protected override bool Postgres => false;
}

public sealed class CampaignSendCommandTest_Postgres : CampaignSendCommandTest
{
    protected override bool Postgres => true;
}
