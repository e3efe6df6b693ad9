using System.CommandLine;
using Barometre.Data.Privacy;
using Microsoft.Extensions.Configuration;

namespace Barometre.Cli.Commands;

/// <summary><c>barometre privacy register</c>: the processing's entry in the controller's register, as the operators' « Registre » page gives it.</summary>
internal static class PrivacyCommand
{
    public static Command Create(CliContext context) => new("privacy", "Données personnelles : la fiche du registre des traitements.")
    {
        Register(context),
    };

    private static Command Register(CliContext context)
    {
        var data = new DataOptions();
        var format = CommonOptions.Format();
        var output = new Option<string?>("--out", "-o") { Description = "Fichier de la fiche (sortie standard par défaut, sauf en xlsx)" };
        var command = new Command("register", "Écrit la fiche du traitement pour le registre (rubriques de la CNIL), d'après Barometre:Privacy "
            + "(Barometre__Privacy__Controller, __ControllerAddress, __ControllerContact, __DpoName, __DpoContact…) et la durée de conservation de chaque campagne.")
        {
            format, output,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(format) == Data.Export.TableFormat.Xlsx && result.GetValue(output) is null)
            {
                result.AddError("--format xlsx écrit un classeur : indiquez le fichier avec --out.");
            }
        });
        data.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var db = await DataOptions.OpenAsync(data.Settings(parse), cancellationToken);
            var entry = await new PrivacyRegister(db, context.Clock).EntryAsync(Options(context), cancellationToken);
            if (parse.GetValue(output) is { } path)
            {
                AtomicFile.Write(path, stream => PrivacyRegister.Write(stream, parse.GetValue(format), entry));
            }
            else
            {
                using var buffer = new MemoryStream();
                PrivacyRegister.Write(buffer, parse.GetValue(format), entry);
                context.Out.Write(new System.Text.UTF8Encoding(false).GetString(buffer.ToArray()).TrimStart('\uFEFF'));
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The processing's description: <c>Barometre:Privacy</c> from the environment, and the context's settings over it (as <c>serve</c> reads it).</summary>
    private static PrivacyOptions Options(CliContext context) =>
        new ConfigurationBuilder().AddEnvironmentVariables().AddInMemoryCollection(context.Settings ?? new Dictionary<string, string?>()).Build()
            .GetSection(PrivacyOptions.Section).Get<PrivacyOptions>() ?? new PrivacyOptions();
}
