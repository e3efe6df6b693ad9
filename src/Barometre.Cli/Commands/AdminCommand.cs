using System.CommandLine;
using System.Globalization;
using Barometre.Data;
using Barometre.Data.Campaigns;

namespace Barometre.Cli.Commands;

/// <summary>
/// <c>barometre admin add|list|disable|enable|remove</c>: operator accounts (the password is asked, or read from
/// stdin). A new password, disabling and removing end the account's sessions at once.
/// </summary>
internal static class AdminCommand
{
    public static Command Create(CliContext context) => new("admin", "Comptes des opérateurs.")
    {
        Add(context), List(context),
        Change(context, "disable", "Désactive un compte : plus de connexion, ses sessions sont fermées.", (accounts, email, ct) => accounts.DisableAsync(email, ct), "désactivé : ses sessions sont fermées"),
        Change(context, "enable", "Réactive un compte désactivé (et le débloque).", (accounts, email, ct) => accounts.EnableAsync(email, ct), "réactivé"),
        Change(context, "remove", "Supprime un compte : ses sessions sont fermées.", (accounts, email, ct) => accounts.RemoveAsync(email, ct), "supprimé : ses sessions sont fermées"),
    };

    private static Command Add(CliContext context)
    {
        var data = new DataOptions();
        var email = new Argument<string>("email") { Description = "Adresse électronique de l'opérateur (son identifiant)" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Lire le mot de passe sur l'entrée standard (scripts)" };
        var replace = new Option<bool>("--replace") { Description = "Changer le mot de passe d'un compte existant" };
        var add = new Command("add", "Crée un compte opérateur (mot de passe d'au moins 12 caractères, demandé sans écho).") { email, passwordStdin, replace };
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
            var error = await new OperatorAccounts(db, context.Clock).AddAsync(parse.GetValue(email)!, password, parse.GetValue(replace), cancellationToken);
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

    private static Command List(CliContext context)
    {
        var data = new DataOptions();
        var command = new Command("list", "Liste les comptes : adresse, création, état (actif, bloqué, désactivé).");
        data.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var db = await DataOptions.OpenAsync(data.Settings(parse), cancellationToken);
            var accounts = await new OperatorAccounts(db, context.Clock).ListAsync(cancellationToken);
            if (accounts.Count == 0)
            {
                context.Error.WriteLine("Aucun compte opérateur (barometre admin add ADRESSE).");
            }
            var now = context.Clock.GetUtcNow().UtcDateTime;
            foreach (var account in accounts)
            {
                var state = account.DisabledAt is { } disabled ? string.Create(CultureInfo.InvariantCulture, $"désactivé le {disabled:yyyy-MM-dd}")
                    : account.LockedUntil is { } until && until > now ? string.Create(CultureInfo.InvariantCulture, $"bloqué jusqu'à {until:HH:mm} UTC")
                    : "actif";
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{account.Email}\t{account.CreatedAt:yyyy-MM-dd}\t{state}"));
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A command that changes one account named by its address, exit 1 when there is none.</summary>
    private static Command Change(CliContext context, string name, string description, Func<OperatorAccounts, string, CancellationToken, Task<bool>> change, string done)
    {
        var data = new DataOptions();
        var email = new Argument<string>("email") { Description = "Adresse électronique du compte (barometre admin list)" };
        var command = new Command(name, description) { email };
        data.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var db = await DataOptions.OpenAsync(data.Settings(parse), cancellationToken);
            var address = parse.GetValue(email)!;
            if (!await change(new OperatorAccounts(db, context.Clock), address, cancellationToken))
            {
                context.Error.WriteLine($"barometre : aucun compte opérateur « {TextRules.Quote(address)} » (barometre admin list).");
                return ExitCodes.InvalidInput;
            }
            context.Out.WriteLine($"Compte opérateur {OperatorAccounts.NormaliseEmail(address)} {done}.");
            return ExitCodes.Success;
        });
        return command;
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
