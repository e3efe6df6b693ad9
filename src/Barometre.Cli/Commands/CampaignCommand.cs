using System.CommandLine;
using System.Globalization;
using Barometre.Core;
using Barometre.Data.Campaigns;
using Barometre.Data.Import;
using Barometre.Data.Privacy;
using Microsoft.Extensions.DependencyInjection;

namespace Barometre.Cli.Commands;

/// <summary>
/// <c>barometre campaign …</c>: a whole campaign driven without a browser — create, issue links, import
/// answers, follow up, close, get the results.
/// </summary>
internal static class CampaignCommand
{
    public static Command Create(CliContext context) =>
        new("campaign", "Campagnes : création, liens d'invitation, suivi, clôture, résultats.")
        {
            CreateCommand(context),
            ListCommand(context),
            InvitationsCommand(context),
            CampaignSendCommand.Create(context, CampaignOption),
            CampaignBouncesCommand.Create(context),
            ImportAnswersCommand(context),
            StatusCommand(context),
            CloseCommand(context),
            FreezeCommand(context),
            ResultsCommand(context),
            PublishCommand(context),
            UnpublishCommand(context),
            PurgeCommand(context),
            RetentionCommand(context),
        };

    private static Option<int> CampaignOption() => new("--campaign", "-c") { Description = "Numéro de la campagne", Required = true };

    private static Command CreateCommand(CliContext context)
    {
        var data = new DataOptions();
        var model = CommonOptions.Model();
        var name = new Option<string>("--name") { Description = "Nom de la campagne (« Baromètre 2026 »)", Required = true };
        name.Validators.Add(result =>
        {
            if (CampaignLifecycle.NameProblem(result.GetValueOrDefault<string>()) is { } problem)
            {
                result.AddError($"--name : {problem}");
            }
        });
        var panel = new Option<string>("--panel") { Description = "Panel : CSV ou classeur .xlsx code, nom, type, population, region, email", Required = true };
        var sheet = CommonOptions.Sheet("--panel");
        var follows = new Option<int?>("--follows") { Description = "Numéro de la campagne close dont celle-ci est l'édition suivante (son référentiel suit celui de la campagne)" };
        var contactName = new Option<string?>("--contact-name") { Description = "Contact de l'organisateur, affiché aux collectivités : une personne ou un service (facultatif)" };
        var contactEmail = new Option<string?>("--contact-email") { Description = "Adresse électronique de ce contact (facultative)" };
        var retention = RetentionMonthsOption("--retention-months");
        var command = new Command("create", "Crée une campagne à partir d'un référentiel et d'un panel ; affiche son numéro seul sur la sortie standard.")
        {
            model, name, panel, sheet, follows, contactName, contactEmail, retention,
        };
        contactName.Validators.Add(result =>
        {
            if (CampaignContact.Problem(result.GetValueOrDefault<string?>(), null) is { } problem)
            {
                result.AddError($"--contact-name : {problem}");
            }
        });
        contactEmail.Validators.Add(result =>
        {
            if (CampaignContact.Problem(null, result.GetValueOrDefault<string?>()) is { } problem)
            {
                result.AddError($"--contact-email : {problem}");
            }
        });
        data.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            // The text stored with the campaign is the very text validated, read once.
            var text = ModelFile.ReadText(parse.GetValue(model)!);
            Inputs.PrintProblems(text, context.Error);
            var loaded = text.Value is { } modelText ? ModelFile.Read(modelText) : null;
            if (loaded is not null)
            {
                Inputs.PrintProblems(loaded, context.Error);
            }
            var panelResult = PanelCsv.Load(parse.GetValue(panel)!, parse.GetValue(sheet));
            Inputs.PrintProblems(panelResult, context.Error);
            if (loaded?.Value is not { } maturity || panelResult.Value is not { } entries)
            {
                return ExitCodes.InvalidInput;
            }
            await using var db = await DataOptions.OpenAsync(data.Settings(parse), cancellationToken);
            var lifecycle = Services(db, context).Lifecycle;
            var previous = parse.GetValue(follows);
            if (previous is { } followed && await lifecycle.FollowProblemAsync(followed, text.Value!, cancellationToken) is { } followProblem)
            {
                context.Error.WriteLine($"barometre : {followProblem}");
                return ExitCodes.InvalidInput;
            }
            var campaign = await lifecycle.CreateAsync(parse.GetValue(name)!, text.Value!.Text, maturity, entries, Actor.Command, previous,
                CampaignContact.Of(parse.GetValue(contactName), parse.GetValue(contactEmail)), parse.GetValue(retention), cancellationToken);
            context.Out.WriteLine(campaign.Id.ToString(CultureInfo.InvariantCulture));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ListCommand(CliContext context)
    {
        var data = new DataOptions();
        var command = new Command("list", "Liste les campagnes.");
        data.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var db = await DataOptions.OpenAsync(data.Settings(parse), cancellationToken);
            foreach (var campaign in await Services(db, context).Queries.ListAsync(cancellationToken))
            {
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{campaign.Id}\t{campaign.Status}\t{campaign.ModelId}\t{campaign.Name}"));
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command InvitationsCommand(CliContext context)
    {
        var data = new DataOptions();
        var campaignOption = CampaignOption();
        var baseUrl = BaseUrlOption();
        var output = new Option<string>("--out", "-o") { Description = "Fichier des liens (code, nom, email, link) pour un publipostage", Required = true };
        var format = CommonOptions.Format();
        var reissue = new Option<bool>("--reissue") { Description = "Réémettre aussi les liens actifs (les anciens cessent de fonctionner)" };
        var command = new Command("invitations", "Émet les liens d'invitation des collectivités qui n'en ont pas (ou de toutes avec --reissue) et les écrit en CSV ou .xlsx : ils ne sont visibles qu'une fois.")
        {
            campaignOption, baseUrl, output, format, reissue,
        };
        ValidateBaseUrl(command, baseUrl);
        OnCampaign(command, context, data, campaignOption, async (parse, services, campaign, cancellationToken) =>
        {
            var root = new Uri(parse.GetValue(baseUrl)!);
            var path = parse.GetValue(output)!;
            var written = false;
            IReadOnlyList<IssuedInvitation> issued;
            // The links are kept encrypted with the app's keys too, so that the e-mails can carry them again (campaign send).
            await using var keyed = await DataServices.OpenAsync(data.Settings(parse), context.Clock, cancellationToken);
            await using var scope = keyed.CreateAsyncScope();
            try
            {
                issued = await scope.ServiceProvider.GetRequiredService<CampaignInvitations>().IssueAsync(campaign.Id, parse.GetValue(reissue), Actor.Command, links =>
                {
                    AtomicFile.Write(path, stream => InvitationLinksCsv.Write(stream, links, root, parse.GetValue(format)));
                    written = true;
                }, cancellationToken);
            }
            catch when (written)
            {
                // Written but not stored: those links would open nothing.
                File.Delete(path);
                throw;
            }
            context.Out.WriteLine($"{Inputs.Plural(issued.Count, "lien émis", "liens émis")} dans {path}.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ImportAnswersCommand(CliContext context)
    {
        var data = new DataOptions();
        var campaignOption = CampaignOption();
        var responses = CommonOptions.Responses(required: true);
        var sheet = CommonOptions.Sheet("--responses");
        var submit = new Option<bool>("--submit") { Description = "Marquer ces questionnaires comme transmis (réponses reçues sur papier, par exemple)" };
        var command = new Command("import-answers", "Importe des réponses depuis le CSV large ou un classeur .xlsx de même disposition (les cellules vides laissent les réponses enregistrées inchangées).") { campaignOption, responses, sheet, submit };
        OnCampaign(command, context, data, campaignOption, async (parse, services, campaign, cancellationToken) =>
        {
            var id = campaign.Id;
            var path = parse.GetValue(responses)!;
            var read = ResponsesCsv.Load(path, await services.Queries.ModelAsync(id, cancellationToken), parse.GetValue(sheet));
            Inputs.PrintProblems(read, context.Error);
            if (read.Value is not { } set)
            {
                return ExitCodes.InvalidInput;
            }
            var (problems, changed) = await services.Answers.ImportAsync(id, set, path, Actor.Command, cancellationToken: cancellationToken);
            foreach (var problem in problems)
            {
                context.Error.WriteLine(problem);
            }
            if (problems.Count > 0)
            {
                return ExitCodes.InvalidInput;
            }
            if (parse.GetValue(submit))
            {
                await services.Answers.SubmitOnBehalfAsync(id, [.. set.Respondents.Select(r => r.Code)], Actor.Command, cancellationToken: cancellationToken);
            }
            context.Out.WriteLine($"{Inputs.Plural(changed, "réponse importée", "réponses importées")} pour {Inputs.Plural(set.Count, "collectivité", "collectivités")}.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command StatusCommand(CliContext context)
    {
        var data = new DataOptions();
        var campaignOption = CampaignOption();
        var command = new Command("status", "Suivi : statut de la campagne et avancement de chaque collectivité (TSV).") { campaignOption };
        OnCampaign(command, context, data, campaignOption, async (parse, services, campaign, cancellationToken) =>
        {
            var progress = await services.Queries.FollowUpAsync(campaign.Id, cancellationToken);
            context.Out.WriteLine($"# {campaign.Name} — {campaign.Status} — {progress.Count(p => p.Status == ParticipantStatus.Submitted)} transmis, "
                + $"{progress.Count(p => p.Status == ParticipantStatus.InProgress)} en cours, {progress.Count(p => p.Status == ParticipantStatus.NotStarted)} non commencés");
            context.Out.WriteLine("code\tnom\tstatut\trepondues\tquestions");
            foreach (var p in progress)
            {
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{p.Participant.Code}\t{p.Participant.Name}\t{p.Status}\t{p.Answered}\t{p.Questions}"));
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CloseCommand(CliContext context)
    {
        var data = new DataOptions();
        var campaignOption = CampaignOption();
        var review = new Option<string?>("--review-until")
        {
            Description = "Ouvrir une période de relecture jusqu'à cette date (AAAA-MM-JJTHH:MM, heure de Paris ; une date seule signifie 23 h 59 ce jour-là) avant de figer les résultats",
        };
        var command = new Command("close", "Clôt la collecte : résultats calculés et figés, ou période de relecture d'abord (--review-until).") { campaignOption, review };
        OnCampaign(command, context, data, campaignOption, async (parse, services, campaign, cancellationToken) =>
        {
            var id = campaign.Id;
            DateTime? until = null;
            if (parse.GetValue(review) is { } text)
            {
                var (utc, parseError) = ParisTime.ParseDeadline(text);
                if (parseError is not null)
                {
                    context.Error.WriteLine($"barometre : --review-until : {parseError}");
                    return ExitCodes.InvalidInput;
                }
                until = utc;
            }
            if (await services.Lifecycle.CloseAsync(id, until, Actor.Command, cancellationToken) is CloseOutcome.Refused refused)
            {
                context.Error.WriteLine($"barometre : {refused.Reason}");
                return ExitCodes.InvalidInput;
            }
            context.Out.WriteLine(until is null ? "Campagne close : résultats calculés et figés." : "Collecte close : période de relecture ouverte.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command FreezeCommand(CliContext context)
    {
        var data = new DataOptions();
        var campaignOption = CampaignOption();
        var command = new Command("freeze", "Met fin à la relecture : réponses figées, résultats calculés.") { campaignOption };
        OnCampaign(command, context, data, campaignOption, async (parse, services, campaign, cancellationToken) =>
        {
            if (await services.Lifecycle.FreezeAsync(campaign.Id, Actor.Command, cancellationToken) is CloseOutcome.Refused refused)
            {
                context.Error.WriteLine($"barometre : {refused.Reason}");
                return ExitCodes.InvalidInput;
            }
            context.Out.WriteLine("Campagne close : résultats calculés et figés.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command PublishCommand(CliContext context)
    {
        var data = new DataOptions();
        var campaignOption = CampaignOption();
        var threshold = CommonOptions.Validated(
            new Option<int?>("--threshold") { Description = "Secret statistique : aucun chiffre pour un groupe de moins de N collectivités (5 par défaut)" },
            n => n is null or (>= 1 and <= 1000),
            "--threshold doit être compris entre 1 et 1000.");
        var command = new Command("publish", "Publie les résultats d'une campagne close : tableau de bord public et API (secret statistique appliqué) ; republier invalide les caches.") { campaignOption, threshold };
        OnCampaign(command, context, data, campaignOption, async (parse, services, campaign, cancellationToken) =>
        {
            switch (await services.Lifecycle.PublishAsync(campaign.Id, parse.GetValue(threshold), Actor.Command, cancellationToken))
            {
                case PublishOutcome.Published published:
                    context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"Résultats publiés (version {published.Version}, secret statistique : moins de {published.Threshold} collectivités) : /resultats/{campaign.Id}"));
                    break;
                case PublishOutcome.Refused refused:
                    context.Error.WriteLine($"barometre : {refused.Reason}");
                    return ExitCodes.InvalidInput;
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command UnpublishCommand(CliContext context)
    {
        var data = new DataOptions();
        var campaignOption = CampaignOption();
        var command = new Command("unpublish", "Retire les résultats publics d'une campagne.") { campaignOption };
        OnCampaign(command, context, data, campaignOption, async (parse, services, campaign, cancellationToken) =>
        {
            context.Out.WriteLine(await services.Lifecycle.UnpublishAsync(campaign.Id, Actor.Command, cancellationToken) ? "Résultats retirés." : "Les résultats n'étaient pas publiés.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ResultsCommand(CliContext context)
    {
        var data = new DataOptions();
        var campaignOption = CampaignOption();
        var output = new Option<string?>("--out", "-o") { Description = "Fichier de résultats JSON (sortie standard par défaut)" };
        var command = new Command("results", "Écrit les résultats figés d'une campagne close (schéma de docs/results-schema.md).") { campaignOption, output };
        OnCampaign(command, context, data, campaignOption, async (parse, services, campaign, cancellationToken) =>
        {
            if (await services.Queries.SnapshotAsync(campaign.Id, cancellationToken) is not { } snapshot)
            {
                context.Error.WriteLine("barometre : la campagne n'est pas close : ses résultats ne sont pas encore calculés (barometre campaign close).");
                return ExitCodes.InvalidInput;
            }
            if (parse.GetValue(output) is { } path)
            {
                AtomicFile.Write(path, snapshot.ResultsJson);
            }
            else
            {
                context.Out.WriteLine(snapshot.ResultsJson);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Option<int?> RetentionMonthsOption(string name, bool required = false)
    {
        var option = new Option<int?>(name)
        {
            Description = $"Durée de conservation des données personnelles, en mois après la clôture ({PersonalData.DefaultRetentionMonths} par défaut, "
                + $"de 1 à {PersonalData.MaxRetentionMonths}) : noms et adresses sont ensuite effacés",
            Required = required,
        };
        option.Validators.Add(result =>
        {
            if (PersonalData.RetentionProblem(result.GetValueOrDefault<int?>()) is { } problem)
            {
                result.AddError($"{name} : {problem}");
            }
        });
        return option;
    }

    private static Command PurgeCommand(CliContext context)
    {
        var data = new DataOptions();
        var campaignOption = CampaignOption();
        var dryRun = new Option<bool>("--dry-run") { Description = "N'efface rien : compte ce qui serait effacé" };
        var early = new Option<bool>("--early")
        {
            Description = "Effacer avant la fin de la durée de conservation (décision du responsable du traitement) ; la campagne doit être close",
        };
        var command = new Command("purge", "Efface les données personnelles d'une campagne close dont la durée de conservation est écoulée (noms et adresses des "
            + "contributeurs, adresses des collectivités, noms au journal) ; réponses, résultats et chiffres publiés restent identiques. Le serveur le fait aussi de lui-même.")
        {
            campaignOption, dryRun, early,
        };
        OnCampaign(command, context, data, campaignOption, async (parse, services, campaign, cancellationToken) =>
        {
            var dry = parse.GetValue(dryRun);
            switch (await services.Purge.PurgeAsync(campaign.Id, Actor.Command, parse.GetValue(early), dry, cancellationToken))
            {
                case PurgeOutcome.Refused refused:
                    context.Error.WriteLine($"barometre : {refused.Reason}");
                    return ExitCodes.InvalidInput;
                case PurgeOutcome.Erased erased:
                    foreach (var (label, count) in erased.Counts.Kinds)
                    {
                        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}\t{count}"));
                    }
                    context.Error.WriteLine(dry ? $"Rien n'a été effacé (--dry-run) : {Inputs.Plural(erased.Counts.Total, "enregistrement serait modifié", "enregistrements seraient modifiés")}."
                        : erased.Counts.Total == 0 ? $"Rien à effacer : les données personnelles de la campagne ont été effacées le {ParisTime.Date(erased.ErasedAt!.Value)}."
                        : $"Données personnelles effacées : {Inputs.Plural(erased.Counts.Total, "enregistrement modifié", "enregistrements modifiés")} (inscrit au journal, sans les valeurs effacées).");
                    break;
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command RetentionCommand(CliContext context)
    {
        var data = new DataOptions();
        var campaignOption = CampaignOption();
        var months = RetentionMonthsOption("--months", required: true);
        var command = new Command("retention", "Change la durée de conservation des données personnelles d'une campagne.") { campaignOption, months };
        OnCampaign(command, context, data, campaignOption, async (parse, services, campaign, cancellationToken) =>
        {
            var value = parse.GetValue(months)!.Value;
            if (await services.Purge.SetRetentionAsync(campaign.Id, value, Actor.Command, cancellationToken) is { } problem)
            {
                context.Error.WriteLine($"barometre : {problem}");
                return ExitCodes.InvalidInput;
            }
            context.Out.WriteLine($"Données personnelles conservées {PersonalData.RetentionText(value)}.");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The site's public address, which links start with.</summary>
    public static Option<string> BaseUrlOption() =>
        new("--base-url") { Description = "Adresse publique du service (https://barometre.exemple.fr)", Required = true };

    /// <summary>Refuses a <c>--base-url</c> that is not a full http(s) address.</summary>
    public static void ValidateBaseUrl(Command command, Option<string> baseUrl) =>
        command.Validators.Add(result =>
        {
            if (!Uri.TryCreate(result.GetValue(baseUrl), UriKind.Absolute, out var root) || (root.Scheme != Uri.UriSchemeHttp && root.Scheme != Uri.UriSchemeHttps))
            {
                result.AddError($"--base-url doit être une adresse http(s) complète, pas « {result.GetValue(baseUrl)} ».");
            }
        });

    private static CampaignServices Services(Data.Storage.BarometreDbContext db, CliContext context) => CampaignServices.On(db, context.Clock);

    /// <summary>Runs <paramref name="action"/> on an existing campaign of the database the options name; an unknown number is an input error.</summary>
    private static void OnCampaign(Command command, CliContext context, DataOptions data, Option<int> campaignOption, Func<ParseResult, CampaignServices, Campaign, CancellationToken, Task<int>> action)
    {
        data.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var db = await DataOptions.OpenAsync(data.Settings(parse), cancellationToken);
            var services = Services(db, context);
            var id = parse.GetValue(campaignOption);
            return await services.Queries.FindAsync(id, cancellationToken) is { } campaign
                ? await action(parse, services, campaign, cancellationToken)
                : UnknownCampaign(context, id);
        });
    }

    private static int UnknownCampaign(CliContext context, int id)
    {
        context.Error.WriteLine($"barometre : aucune campagne n° {id.ToString(CultureInfo.InvariantCulture)} (barometre campaign list).");
        return ExitCodes.InvalidInput;
    }
}
