using System.CommandLine;
using System.Globalization;
using Barometre.Data.Mail;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Barometre.Cli.Commands;

/// <summary>
/// <c>barometre campaign bounces</c>: reads the mailbox of <c>Barometre:Imap</c> once, as <c>barometre serve</c> does every
/// five minutes, and records the messages of every campaign that came back (one line each).
/// </summary>
internal static class CampaignBouncesCommand
{
    public static Command Create(CliContext context)
    {
        var data = new DataOptions();
        var command = new Command("bounces",
            "Lit la boîte où reviennent les courriels en erreur et les enregistre (toutes campagnes) : adresses signalées en échec, ignorées jusqu'à correction ; "
            + "boîte : Barometre__Imap__Host, __Port, __Tls (None, StartTls, Tls), __User, __Password, __Folder.");
        data.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var imap = CampaignSendCommand.MailSettings(context).GetSection("Barometre:Imap").Get<ImapOptions>() ?? new ImapOptions();
            if ((imap.IsConfigured ? imap.Problem() : "aucune boîte n'est configurée : définissez au moins Barometre__Imap__Host, Barometre__Imap__User et Barometre__Imap__Password (README, « E-mail »).") is { } problem)
            {
                context.Error.WriteLine($"barometre : {problem}");
                return ExitCodes.UsageError;
            }
            await using var services = await DataServices.OpenAsync(data.Settings(parse), context.Clock, cancellationToken);
            await using var scope = services.CreateAsyncScope();
            IReadOnlyList<BounceOutcome> bounces;
            try
            {
                bounces = await new BounceMailbox(imap).ReadAsync(scope.ServiceProvider.GetRequiredService<MailSender>(), cancellationToken);
            }
            catch (Exception e) when (BounceMailbox.IsUnreachable(e))
            {
                context.Error.WriteLine($"barometre : la boîte {imap.Describe()} n'a pas pu être lue ({e.Message}) : relancez la commande une fois la boîte joignable.");
                return ExitCodes.Environment;
            }
            foreach (var bounce in bounces)
            {
                context.Out.WriteLine($"{bounce.CampaignId.ToString(CultureInfo.InvariantCulture)}\t{bounce.Code}\t{bounce.Address}\t"
                    + $"{DeliveryLabels.Kind(bounce.Kind, bounce.Sequence)} : {DeliveryLabels.Outcome(DeliveryStatus.Bounced, bounce.Diagnostic)}");
            }
            context.Out.WriteLine($"# {Inputs.Plural(bounces.Count, "courriel revenu en erreur enregistré", "courriels revenus en erreur enregistrés")}.");
            return ExitCodes.Success;
        });
        return command;
    }
}
