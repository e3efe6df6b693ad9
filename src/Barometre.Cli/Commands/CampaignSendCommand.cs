using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using Barometre.Data.Campaigns;
using Barometre.Data.Mail;
using MailKit;
using MailKit.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Barometre.Cli.Commands;

/// <summary>
/// <c>barometre campaign send</c>: each collectivité's next message — its invitation, or a reminder once invited — through
/// the mail server of <c>Barometre:Smtp</c> (the environment: <c>Barometre__Smtp__Host</c>…), one line per message.
/// Messages an earlier send left queued go too: a send stopped mid-way resumes.
/// </summary>
internal static class CampaignSendCommand
{
    public static Command Create(CliContext context, Func<Option<int>> campaignOption)
    {
        var data = new DataOptions();
        var campaign = campaignOption();
        var baseUrl = CampaignCommand.BaseUrlOption();
        var only = new Option<string?>("--only")
        {
            Description = "Seulement les collectivités non commencées (not-started), en cours (in-progress) ou n'ayant pas transmis (not-submitted)",
        };
        only.AcceptOnlyFromAmong("not-started", "in-progress", "not-submitted");
        var dryRun = new Option<bool>("--dry-run") { Description = "N'envoyer rien : afficher ce qui partirait" };
        var command = new Command("send",
            "Envoie par courriel à chaque collectivité son invitation, ou une relance si elle l'a déjà reçue, avec son lien ; "
            + "serveur : Barometre__Smtp__Host, __Port, __Tls (None, StartTls, Tls), __User, __Password, __FromAddress, __FromName, __ReplyTo, __MessagesPerMinute.")
        {
            campaign, baseUrl, only, dryRun,
        };
        CampaignCommand.ValidateBaseUrl(command, baseUrl);
        data.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var smtp = Smtp(context);
            var dry = parse.GetValue(dryRun);
            if (!dry && (smtp.IsConfigured ? smtp.Problem() : "aucun serveur de messagerie n'est configuré : définissez au moins Barometre__Smtp__Host et Barometre__Smtp__FromAddress (README, « E-mail »), ou essayez --dry-run.") is { } problem)
            {
                context.Error.WriteLine($"barometre : {problem}");
                return ExitCodes.UsageError;
            }
            await using var services = await DataServices.OpenAsync(data.Settings(parse), context.Clock, cancellationToken);
            await using var scope = services.CreateAsyncScope();
            var id = parse.GetValue(campaign);
            if (await scope.ServiceProvider.GetRequiredService<CampaignQueries>().FindAsync(id, cancellationToken) is null)
            {
                context.Error.WriteLine($"barometre : aucune campagne n° {id.ToString(CultureInfo.InvariantCulture)} (barometre campaign list).");
                return ExitCodes.InvalidInput;
            }
            var request = new MailRequest(null, parse.GetValue(only) switch
            {
                "not-started" => MailAudience.NotStarted,
                "in-progress" => MailAudience.InProgress,
                "not-submitted" => MailAudience.NotSubmitted,
                _ => MailAudience.All,
            });
            var outbox = scope.ServiceProvider.GetRequiredService<MailOutbox>();
            var plan = dry
                ? await outbox.PlanAsync(id, request, cancellationToken)
                : await outbox.QueueAsync(id, request, new Uri(parse.GetValue(baseUrl)!), Actor.Command, cancellationToken);
            if (plan.Refusal is not null)
            {
                context.Error.WriteLine($"barometre : {plan.Refusal}");
                return ExitCodes.InvalidInput;
            }
            foreach (var skipped in plan.Items.Where(i => i.Skipped is not null))
            {
                context.Out.WriteLine($"{skipped.Code}\t{skipped.Address ?? "—"}\tignorée : {skipped.Skipped}");
            }
            if (dry)
            {
                foreach (var planned in plan.ToSend)
                {
                    context.Out.WriteLine($"{planned.Code}\t{planned.Address}\t{DeliveryLabels.Kind(planned.Kind, planned.Sequence)} : partirait (essai, rien n'est envoyé)");
                }
                var waiting = await outbox.QueuedCountAsync(id, cancellationToken);
                context.Out.WriteLine($"# essai : {Inputs.Plural(plan.ToSend.Count, "courriel partirait", "courriels partiraient")}"
                    + (waiting > 0 ? $", et {Inputs.Plural(waiting, "courriel déjà en file d'attente", "courriels déjà en file d'attente")}" : "") + ".");
                return ExitCodes.Success;
            }
            var outcomes = new List<MailOutcome>();
            try
            {
                await using var transport = new SmtpMailTransport(smtp);
                await scope.ServiceProvider.GetRequiredService<MailSender>().SendQueuedAsync(transport, smtp, id, outcome =>
                {
                    outcomes.Add(outcome);
                    context.Out.WriteLine($"{outcome.Code}\t{outcome.Address}\t{DeliveryLabels.Kind(outcome.Kind, outcome.Sequence)} : {DeliveryLabels.Outcome(outcome.Status, outcome.Reply)}");
                }, cancellationToken: cancellationToken);
            }
            catch (Exception e) when (e is SocketException or IOException or ProtocolException or AuthenticationException or SslHandshakeException or MailKit.Net.Smtp.SmtpCommandException)
            {
                context.Error.WriteLine($"barometre : le serveur de messagerie {smtp.Describe()} a échoué ({e.Message}) : les messages non envoyés restent en file d'attente, relancez la commande une fois le serveur joignable.");
                return ExitCodes.Environment;
            }
            context.Out.WriteLine($"# {Inputs.Plural(outcomes.Count(o => o.Status == DeliveryStatus.Sent), "courriel envoyé", "courriels envoyés")}, "
                + $"{Inputs.Plural(outcomes.Count(o => o.Status == DeliveryStatus.Refused), "refusé", "refusés")}, "
                + $"{Inputs.Plural(plan.Items.Count(i => i.Skipped is not null), "collectivité ignorée", "collectivités ignorées")}.");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The mail server: <c>Barometre:Smtp</c> from the environment (<c>Barometre__Smtp__Host</c>…), and the context's settings over it.</summary>
    private static SmtpOptions Smtp(CliContext context) => MailSettings(context).GetSection("Barometre:Smtp").Get<SmtpOptions>() ?? new SmtpOptions();

    /// <summary>The mail settings: the environment (<c>Barometre__Smtp__Host</c>, <c>Barometre__Imap__Host</c>…), and the context's settings over it.</summary>
    internal static IConfiguration MailSettings(CliContext context) =>
        new ConfigurationBuilder().AddEnvironmentVariables().AddInMemoryCollection(context.Settings ?? new Dictionary<string, string?>()).Build();
}
