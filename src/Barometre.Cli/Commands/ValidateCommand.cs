using System.CommandLine;
using Barometre.Core;
using Barometre.Core.Responses;
using Barometre.Data.Import;

namespace Barometre.Cli.Commands;

/// <summary><c>barometre validate</c>: checks a model (and a responses file) and lists every problem.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliContext context)
    {
        var model = CommonOptions.Model();
        var responses = CommonOptions.Responses(required: false);
        var sheet = CommonOptions.Sheet("--responses");
        var command = new Command("validate", "Vérifie un référentiel et, s'il est donné, un fichier de réponses ; liste tous les problèmes, puis un bilan.")
        {
            model, responses, sheet,
        };
        command.SetAction(parse => Run(context, parse.GetValue(model)!, parse.GetValue(responses), parse.GetValue(sheet)));
        return command;
    }

    private static int Run(CliContext context, string modelPath, string? responsesPath, string? sheet)
    {
        var modelResult = ModelFile.Load(modelPath);
        Inputs.PrintProblems(modelResult, context.Error);
        if (modelResult.Value is not { } model)
        {
            context.Out.WriteLine($"{modelPath} : {Inputs.Plural(modelResult.ProblemCount, "problème", "problèmes")}, référentiel invalide.");
            return ExitCodes.InvalidInput;
        }
        context.Out.WriteLine(
            $"{(modelPath == model.Id ? "" : modelPath + " : ")}référentiel {model.Id} valide — {Inputs.Plural(model.Themes.Count, "thème", "thèmes")}, "
            + $"{Inputs.Plural(model.Questions.Count, "question", "questions")}, {Inputs.Plural(model.Indicators.Count, "indicateur clé", "indicateurs clés")}, "
            + $"échelle de {model.Scale.Count} niveaux.");
        if (responsesPath is null)
        {
            return ExitCodes.Success;
        }

        var responsesResult = ResponsesCsv.Load(responsesPath, model, sheet);
        Inputs.PrintProblems(responsesResult, context.Error);
        if (responsesResult.Value is not { } responses)
        {
            context.Out.WriteLine($"{responsesPath} : {Inputs.Plural(responsesResult.ProblemCount, "problème", "problèmes")}, rien n'est importé.");
            return ExitCodes.InvalidInput;
        }
        int levels = 0, blanks = 0, dontKnow = 0, notConcerned = 0;
        foreach (var cell in responses.Cells)
        {
            switch (cell)
            {
                case >= 0: levels++; break;
                case CellCode.DontKnow: dontKnow++; break;
                case CellCode.NotConcerned: notConcerned++; break;
                default: blanks++; break;
            }
        }
        context.Out.WriteLine(
            $"{responsesPath} : valide — {Inputs.Plural(responses.Count, "collectivité", "collectivités")}, "
            + $"{FrenchFormat.Count(responses.Cells.Length)} cellules : {FrenchFormat.Count(levels)} niveaux, "
            + $"{FrenchFormat.Count(blanks)} vides, {FrenchFormat.Count(dontKnow)} NSP, {FrenchFormat.Count(notConcerned)} NC.");
        return ExitCodes.Success;
    }
}
