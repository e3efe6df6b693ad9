using System.CommandLine;
using Barometre.Data.Campaigns;

namespace Barometre.Cli.Commands;

/// <summary><c>barometre admin add EMAIL</c>: creates an operator account (the password is asked, or read from stdin).</summary>
internal static class AdminCommand
{
    public static Command Create(CliContext context)
    {
        var data = new DataOptions();
        var email = new Argument<string>("email") { Description = "Adresse électronique de l'opérateur (son identifiant)" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Lire le mot de passe sur l'entrée standard (scripts)" };
        var replace = new Option<bool>("--replace") { Description = "Changer le mot de passe d'un compte existant" };
        var add = new Command("add", "Crée un compte opérateur (mot de passe d'au moins 12 caractères, demandé sans écho).") { email, passwordStdin, replace };
        data.AddTo(add);
        add.SetAction(async (parse, cancellationToken) =>
        {
            var password = parse.GetValue(passwordStdin) ? context.In.ReadLine() : ReadHidden(context);
            if (string.IsNullOrEmpty(password))
            {
                context.Error.WriteLine("barometre : mot de passe vide.");
                return ExitCodes.InvalidInput;
            }
            await using var db = await DataOptions.OpenAsync(data.Settings(parse), cancellationToken);
            var error = await new OperatorAccounts(db, context.Clock).AddAsync(parse.GetValue(email)!, password, parse.GetValue(replace), cancellationToken);
            if (error is not null)
            {
                context.Error.WriteLine($"barometre : {error}");
                return ExitCodes.InvalidInput;
            }
            context.Out.WriteLine($"Compte opérateur {parse.GetValue(email)!.Trim().ToLowerInvariant()} {(parse.GetValue(replace) ? "mis à jour" : "créé")}.");
            return ExitCodes.Success;
        });
        return new Command("admin", "Comptes des opérateurs.") { add };
    }

    /// <summary>Asks for a password twice without echo on a terminal; reads a line otherwise.</summary>
    private static string? ReadHidden(CliContext context)
    {
        if (!ReferenceEquals(context.In, Console.In) || Console.IsInputRedirected)
        {
            return context.In.ReadLine();
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
        return first == Prompt("Confirmation : ") ? first : throw new InvalidOperationException("Les deux saisies du mot de passe diffèrent.");
    }
}
