using System.CommandLine;
using System.Globalization;
using Barometre.Data;
using Barometre.Data.Campaigns;

namespace Barometre.Cli.Commands;

/// <summary>
/// <c>barometre admin add|invite|list|role|grant|revoke|disable|enable|remove</c>: operator accounts (the password is
/// asked, or read from stdin; or chosen by the operator with an invitation's link). A new password, fewer rights,
/// disabling and removing end the account's sessions at once. <c>--role</c> is « administrateur » by default: whoever
/// runs the command holds the database already, and the first account must be able to administer the others.
/// </summary>
internal static class AdminCommand
{
    public static Command Create(CliContext context) => new("admin", "Comptes des opérateurs.")
    {
        Add(context), Invite(context), List(context), Role(context),
        Grants(context, "grant", "Confie des campagnes à un compte (en plus de celles qu'il a).", (current, given) => [.. current.Union(given)], "confiées"),
        Grants(context, "revoke", "Retire des campagnes à un compte : ses sessions sont fermées.", (current, given) => [.. current.Except(given)], "retirées"),
        Change(context, "disable", "Désactive un compte : plus de connexion, ses sessions sont fermées (jamais le dernier administrateur actif).", (accounts, email, ct) => accounts.DisableAsync(email, Actor.Command, null, ct), "désactivé : ses sessions sont fermées"),
        Change(context, "enable", "Réactive un compte désactivé (et le débloque).", (accounts, email, ct) => accounts.EnableAsync(email, Actor.Command, ct), "réactivé"),
        Change(context, "remove", "Supprime un compte : ses sessions sont fermées (jamais le dernier administrateur actif).", (accounts, email, ct) => accounts.RemoveAsync(email, Actor.Command, null, ct), "supprimé : ses sessions sont fermées"),
    };

    private static Command Add(CliContext context)
    {
        var data = new DataOptions();
        var email = new Argument<string>("email") { Description = "Adresse électronique de l'opérateur (son identifiant)" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Lire le mot de passe sur l'entrée standard (scripts)" };
        var replace = new Option<bool>("--replace") { Description = "Changer le mot de passe d'un compte existant (son rôle ne change pas)" };
        var role = RoleOption();
        var campaigns = CampaignsOption();
        var add = new Command("add", "Crée un compte opérateur (mot de passe d'au moins 12 caractères, demandé sans écho).") { email, passwordStdin, replace, role, campaigns };
        data.AddTo(add);
        add.SetAction(async (parse, cancellationToken) =>
        {
            var password = parse.GetValue(passwordStdin) ? context.In.ReadLine() ?? "" : ReadHidden(context);
            if (string.IsNullOrEmpty(password))
            {
                context.Error.WriteLine(password is null
                    ? "barometre : les deux saisies du mot de passe diffèrent ; rien n'a été changé."
                    : "barometre : mot de passe vide.");
                return ExitCodes.InvalidInput;
            }
            await using var db = await DataOptions.OpenAsync(data.Settings(parse), cancellationToken);
            var accounts = new OperatorAccounts(db, context.Clock);
            var error = await accounts.AddAsync(parse.GetValue(email)!, password, OperatorRoles.Parse(parse.GetValue(role))!.Value, parse.GetValue(replace), Actor.Command, cancellationToken);
            if (error is null && parse.GetValue(campaigns) is { Length: > 0 } given && await accounts.SetCampaignsAsync(parse.GetValue(email)!, given, Actor.Command, cancellationToken) is AccountChange.Refused refused)
            {
                error = refused.Reason;
            }
            if (error is not null)
            {
                context.Error.WriteLine($"barometre : {error}");
                return ExitCodes.InvalidInput;
            }
            context.Out.WriteLine($"Compte opérateur {parse.GetValue(email)!.Trim().ToLowerInvariant()} {(parse.GetValue(replace) ? "mis à jour : ses sessions sont fermées" : "créé")}.");
            return ExitCodes.Success;
        });
        return add;
    }

    /// <summary>The role option, « administrateur » unless told (see the class's remarks).</summary>
    internal static Option<string> RoleOption()
    {
        var role = new Option<string>("--role")
        {
            Description = "Rôle : administrateur (par défaut), gestionnaire (de campagne) ou analyste",
            DefaultValueFactory = _ => OperatorRoles.Name(OperatorRole.Administrator),
        };
        role.Validators.Add(result => RefuseUnknownRole(result, "--role"));
        return role;
    }

    /// <summary>A usage error for a role that is none of <see cref="OperatorRoles.All"/>.</summary>
    private static void RefuseUnknownRole(System.CommandLine.Parsing.SymbolResult result, string name)
    {
        var value = result is System.CommandLine.Parsing.OptionResult option ? option.GetValueOrDefault<string>() : ((System.CommandLine.Parsing.ArgumentResult)result).GetValueOrDefault<string>();
        if (OperatorRoles.Parse(value) is null)
        {
            result.AddError($"{name} : {OperatorRoles.Unknown(value)}");
        }
    }

    /// <summary>The campaigns given (numbers, « --campaigns 3 5 »).</summary>
    /// <summary>The campaigns column of <c>admin list</c> and <c>apikey list</c>: « toutes » for an administrator, else the ids given.</summary>
    internal static string CampaignsColumn(OperatorRole role, IReadOnlyList<int>? given) =>
        role == OperatorRole.Administrator ? "toutes" : string.Join(",", given ?? []);

    internal static Option<int[]> CampaignsOption() =>
        new("--campaigns") { Description = "Numéros des campagnes confiées (barometre campaign list), séparés par des espaces", AllowMultipleArgumentsPerToken = true };

    private static Command Invite(CliContext context)
    {
        var data = new DataOptions();
        var email = new Argument<string>("email") { Description = "Adresse électronique de l'opérateur invité" };
        var role = RoleOption();
        var campaigns = CampaignsOption();
        var given = new Option<string>("--given-name") { Description = "Prénom" };
        var family = new Option<string>("--family-name") { Description = "Nom" };
        var baseUrl = CampaignCommand.BaseUrlOption();
        var command = new Command("invite", "Invite un opérateur : affiche le lien à usage unique (valable 7 jours) avec lequel il choisit son mot de passe.")
        {
            email, role, campaigns, given, family, baseUrl,
        };
        CampaignCommand.ValidateBaseUrl(command, baseUrl);
        data.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var db = await DataOptions.OpenAsync(data.Settings(parse), cancellationToken);
            var invitation = new AccountInvitation(parse.GetValue(email)!, OperatorRoles.Parse(parse.GetValue(role))!.Value, parse.GetValue(given), parse.GetValue(family), parse.GetValue(campaigns) ?? []);
            switch (await new OperatorAccounts(db, context.Clock).InviteAsync(invitation, Actor.Command, cancellationToken))
            {
                case InvitationOutcome.Invited invited:
                    context.Out.WriteLine(new Uri(new Uri(parse.GetValue(baseUrl)!.TrimEnd('/') + "/"), $"admin/invitation/{invited.Token}"));
                    context.Error.WriteLine($"Compte {invited.Account.Email} ({OperatorRoles.Label(invited.Account.Role)}) invité : transmettez-lui ce lien, il ne sera plus affiché.");
                    return ExitCodes.Success;
                case InvitationOutcome.Refused refused:
                    context.Error.WriteLine($"barometre : {refused.Reason}");
                    return ExitCodes.InvalidInput;
                default:
                    throw new InvalidOperationException();
            }
        });
        return command;
    }

    private static Command Role(CliContext context)
    {
        var data = new DataOptions();
        var email = new Argument<string>("email") { Description = "Adresse électronique du compte (barometre admin list)" };
        var role = new Argument<string>("role") { Description = "administrateur, gestionnaire ou analyste" };
        role.Validators.Add(result => RefuseUnknownRole(result, "role"));
        var command = new Command("role", "Change le rôle d'un compte (moins de droits ferment ses sessions ; jamais le dernier administrateur actif).") { email, role };
        return OnAccount(command, context, data, email, (accounts, address, parse, ct) => accounts.SetRoleAsync(address, OperatorRoles.Parse(parse.GetValue(role))!.Value, Actor.Command, cancellationToken: ct),
            parse => $"désormais {OperatorRoles.Label(OperatorRoles.Parse(parse.GetValue(role))!.Value)}");
    }

    private static Command Grants(CliContext context, string name, string description, Func<IReadOnlyList<int>, int[], int[]> combine, string done)
    {
        var data = new DataOptions();
        var email = new Argument<string>("email") { Description = "Adresse électronique du compte (barometre admin list)" };
        var campaigns = new Argument<int[]>("campaigns") { Description = "Numéros des campagnes (barometre campaign list)", Arity = ArgumentArity.OneOrMore };
        var command = new Command(name, description) { email, campaigns };
        return OnAccount(command, context, data, email, async (accounts, address, parse, ct) =>
        {
            var id = (await accounts.FindAsync(address, ct))?.Id ?? 0;
            var current = (await accounts.CampaignsAsync(ct)).GetValueOrDefault(id) ?? [];
            return await accounts.SetCampaignsAsync(address, combine(current, parse.GetValue(campaigns)!), Actor.Command, ct);
        }, parse => $": campagnes {string.Join(", ", parse.GetValue(campaigns)!)} {done}");
    }

    /// <summary>A command that changes one account through <see cref="OperatorAccounts"/>: its refusal or absence is an input error.</summary>
    private static Command OnAccount(
        Command command, CliContext context, DataOptions data, Argument<string> email, Func<OperatorAccounts, string, ParseResult, CancellationToken, Task<AccountChange>> change, Func<ParseResult, string> done)
    {
        data.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var db = await DataOptions.OpenAsync(data.Settings(parse), cancellationToken);
            var address = parse.GetValue(email)!;
            switch (await change(new OperatorAccounts(db, context.Clock), address, parse, cancellationToken))
            {
                case AccountChange.Done:
                    context.Out.WriteLine($"Compte opérateur {OperatorAccounts.NormaliseEmail(address)} {done(parse)}.");
                    return ExitCodes.Success;
                case AccountChange.NotFound:
                    context.Error.WriteLine($"barometre : aucun compte opérateur « {TextRules.Quote(address)} » (barometre admin list).");
                    return ExitCodes.InvalidInput;
                case AccountChange.Refused refused:
                    context.Error.WriteLine($"barometre : {refused.Reason}");
                    return ExitCodes.InvalidInput;
                default:
                    throw new InvalidOperationException();
            }
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var data = new DataOptions();
        var command = new Command("list", "Liste les comptes : adresse, création, état (actif, invité, bloqué, désactivé), rôle, campagnes confiées.");
        data.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var db = await DataOptions.OpenAsync(data.Settings(parse), cancellationToken);
            var operators = new OperatorAccounts(db, context.Clock);
            var accounts = await operators.ListAsync(cancellationToken);
            var grants = await operators.CampaignsAsync(cancellationToken);
            if (accounts.Count == 0)
            {
                context.Error.WriteLine("Aucun compte opérateur (barometre admin add ADRESSE).");
            }
            var now = context.Clock.GetUtcNow().UtcDateTime;
            foreach (var account in accounts)
            {
                var state = account.DisabledAt is { } disabled ? string.Create(CultureInfo.InvariantCulture, $"désactivé le {disabled:yyyy-MM-dd}")
                    : account.LockedUntil is { } until && until > now ? string.Create(CultureInfo.InvariantCulture, $"bloqué jusqu'à {until:HH:mm} UTC")
                    : account.PasswordHash.Length == 0 ? "invité"
                    : "actif";
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{account.Email}\t{account.CreatedAt:yyyy-MM-dd}\t{state}\t{OperatorRoles.Name(account.Role)}\t{CampaignsColumn(account.Role, grants.GetValueOrDefault(account.Id))}"));
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A command that changes one account named by its address, exit 1 when there is none or the change is refused.</summary>
    private static Command Change(CliContext context, string name, string description, Func<OperatorAccounts, string, CancellationToken, Task<AccountChange>> change, string done)
    {
        var email = new Argument<string>("email") { Description = "Adresse électronique du compte (barometre admin list)" };
        return OnAccount(new Command(name, description) { email }, context, new DataOptions(), email, (accounts, address, _, ct) => change(accounts, address, ct), _ => done);
    }

    /// <summary>Asks for a password twice without echo on a terminal (null when the two differ); reads a line otherwise.</summary>
    private static string? ReadHidden(CliContext context)
    {
        if (!ReferenceEquals(context.In, Console.In) || Console.IsInputRedirected)
        {
            return context.In.ReadLine() ?? "";
        }
        static string Prompt(string label)
        {
            Console.Error.Write(label);
            var password = new System.Text.StringBuilder();
            for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
            {
                if (key.Key == ConsoleKey.Backspace)
                {
                    password.Length = Math.Max(0, password.Length - 1);
                }
                else if (!char.IsControl(key.KeyChar))
                {
                    password.Append(key.KeyChar);
                }
            }
            Console.Error.WriteLine();
            return password.ToString();
        }
        var first = Prompt("Mot de passe : ");
        return first == Prompt("Confirmation : ") ? first : null;
    }
}
