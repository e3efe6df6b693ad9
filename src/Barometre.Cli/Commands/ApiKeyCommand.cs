using System.CommandLine;
using System.Globalization;
using Barometre.Data.Campaigns;

namespace Barometre.Cli.Commands;

/// <summary><c>barometre apikey add|list|revoke</c>: keys for the operators' API (campaign state, exports).</summary>
internal static class ApiKeyCommand
{
    public static Command Create(CliContext context) => new("apikey", "Clés de l'API des opérateurs (état des campagnes, exports).")
    {
        Add(context), List(context), Revoke(context),
    };

    private static Command Add(CliContext context)
    {
        var data = new DataOptions();
        var name = new Argument<string>("name") { Description = "À quoi sert la clé (« rédaction data »)" };
        name.Validators.Add(result =>
        {
            if (ApiKeys.NameProblem(result.GetValueOrDefault<string>()) is { } problem)
            {
                result.AddError($"name : {problem}");
            }
        });
        var role = AdminCommand.RoleOption();
        var campaigns = AdminCommand.CampaignsOption();
        var command = new Command("add", "Crée une clé et l'affiche une seule fois (seule son empreinte est conservée) ; son rôle et ses campagnes bornent ce qu'elle lit.") { name, role, campaigns };
        data.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var db = await DataOptions.OpenAsync(data.Settings(parse), cancellationToken);
            var outcome = await new ApiKeys(db, context.Clock).AddAsync(
                parse.GetValue(name)!, OperatorRoles.Parse(parse.GetValue(role))!.Value, parse.GetValue(campaigns) ?? [], Actor.Command, cancellationToken);
            if (outcome is not ApiKeyOutcome.Created created)
            {
                context.Error.WriteLine($"barometre : {((ApiKeyOutcome.Refused)outcome).Reason}");
                return ExitCodes.InvalidInput;
            }
            context.Out.WriteLine(created.Secret);
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Clé n° {created.Key.Id} « {created.Key.Name} » créée : conservez-la, elle ne sera plus affichée. En-tête : Authorization: Bearer <clé>."));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var data = new DataOptions();
        var command = new Command("list", "Liste les clés (numéro, nom, création, dernière utilisation, révocation, rôle, campagnes).");
        data.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var db = await DataOptions.OpenAsync(data.Settings(parse), cancellationToken);
            var keys = new ApiKeys(db, context.Clock);
            var grants = await keys.CampaignsAsync(cancellationToken);
            foreach (var key in await keys.ListAsync(cancellationToken))
            {
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{key.Id}\t{key.Name}\t{key.CreatedAt:yyyy-MM-dd}\t{key.LastUsedAt:yyyy-MM-dd HH:mm}\t{(key.RevokedAt is null ? "active" : "révoquée")}\t{OperatorRoles.Name(key.Role)}\t{AdminCommand.CampaignsColumn(key.Role, grants.GetValueOrDefault(key.Id))}"));
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Revoke(CliContext context)
    {
        var data = new DataOptions();
        var id = new Argument<int>("id") { Description = "Numéro de la clé (barometre apikey list)" };
        var command = new Command("revoke", "Révoque une clé.") { id };
        data.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var db = await DataOptions.OpenAsync(data.Settings(parse), cancellationToken);
            if (!await new ApiKeys(db, context.Clock).RevokeAsync(parse.GetValue(id), cancellationToken))
            {
                context.Error.WriteLine("barometre : aucune clé active de ce numéro (barometre apikey list).");
                return ExitCodes.InvalidInput;
            }
            context.Out.WriteLine("Clé révoquée.");
            return ExitCodes.Success;
        });
        return command;
    }
}
