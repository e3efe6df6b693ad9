using System.CommandLine;
using Barometre.Data.Import;
using Barometre.Data.Import.LimeSurvey;
using Barometre.Data.Import.Surveys;
using Barometre.Data.Import.XlsForm;

namespace Barometre.Cli.Commands;

/// <summary>
/// <c>barometre import limesurvey|xlsform</c>: a questionnaire from the operators' survey tools as a model draft (and a
/// LimeSurvey response export as the wide responses CSV). What is not carried over is listed on stderr and at the top
/// of the draft; a draft that does not validate yet is written all the same, with what to fill in.
/// </summary>
internal static class ImportCommand
{
    public static Command Create(CliContext context) => new("import", "Importe un questionnaire LimeSurvey ou XLSForm (KoboToolbox, ODK) comme brouillon de référentiel.")
    {
        LimeSurvey(context),
        XlsForm(context),
    };

    private static Option<string?> Levels() => new("--levels")
    {
        Description = "Fichier YAML des niveaux : le niveau de chaque code de réponse qui n'est pas 0, 1, 2… (docs/model-format.md)",
    };

    private static Option<string> OutModel() => new("--out-model")
    {
        Description = "Brouillon de référentiel (YAML) à écrire",
        Required = true,
    };

    private static Command LimeSurvey(CliContext context)
    {
        var survey = new Option<string>("--survey") { Description = "Structure de l'enquête exportée de LimeSurvey (.lss)", Required = true };
        var responses = new Option<string?>("--responses") { Description = "Réponses exportées de LimeSurvey (CSV), converties avec --out-responses" };
        var levels = Levels();
        var outModel = OutModel();
        var outResponses = new Option<string?>("--out-responses") { Description = "Fichier de réponses (CSV large du baromètre) à écrire" };
        var command = new Command("limesurvey", "Enquête LimeSurvey (.lss, toutes versions) → brouillon de référentiel ; ses réponses (CSV) → fichier de réponses.")
        {
            survey, responses, levels, outModel, outResponses,
        };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(responses) is null) != (result.GetValue(outResponses) is null))
            {
                result.AddError("--responses et --out-responses vont ensemble : l'export des réponses, et le fichier où l'écrire.");
            }
        });
        command.SetAction(parse => Run(
            context,
            parse.GetValue(levels),
            map => LimeSurveyImport.Load(parse.GetValue(survey)!, map),
            parse.GetValue(outModel)!,
            parse.GetValue(responses),
            parse.GetValue(outResponses)));
        return command;
    }

    private static Command XlsForm(CliContext context)
    {
        var form = new Option<string>("--form") { Description = "Formulaire XLSForm (.xlsx : feuilles survey et choices)", Required = true };
        var levels = Levels();
        var outModel = OutModel();
        var command = new Command("xlsform", "Formulaire XLSForm (KoboToolbox, ODK) → brouillon de référentiel : groupes → thèmes, select_one → questions.")
        {
            form, levels, outModel,
        };
        command.SetAction(parse => Run(context, parse.GetValue(levels), map => XlsFormImport.Load(parse.GetValue(form)!, map), parse.GetValue(outModel)!, null, null));
        return command;
    }

    private static int Run(CliContext context, string? levelsPath, Func<LevelMap, ImportResult<ModelDraft>> read, string outModel, string? responsesPath, string? outResponses)
    {
        var levels = LevelMap.None;
        if (levelsPath is not null)
        {
            var map = LevelMap.Load(levelsPath);
            Inputs.PrintProblems(map, context.Error);
            if (map.Value is null)
            {
                return ExitCodes.InvalidInput;
            }
            levels = map.Value;
        }
        var draftResult = read(levels);
        Inputs.PrintProblems(draftResult, context.Error);
        if (draftResult.Value is not { } draft)
        {
            return ExitCodes.InvalidInput;
        }
        ConvertedResponses? converted = null;
        if (responsesPath is not null)
        {
            var responses = LimeSurveyResponses.Load(responsesPath, draft);
            Inputs.PrintProblems(responses, context.Error);
            if (responses.Value is null)
            {
                context.Out.WriteLine($"{responsesPath} : {Inputs.Plural(responses.ProblemCount, "problème", "problèmes")}, rien n'est écrit.");
                return ExitCodes.InvalidInput;
            }
            converted = responses.Value;
        }

        AtomicFile.Write(outModel, draft.ToYaml());
        if (converted is not null)
        {
            AtomicFile.Write(outResponses!, stream => ResponsesCsv.Write(converted.Responses, stream));
        }
        var notes = draft.Notes.Concat(converted?.Notes ?? []).ToList();
        foreach (var note in notes)
        {
            context.Error.WriteLine(note);
        }
        var questions = draft.Questions.Count();
        context.Out.WriteLine(
            $"{outModel} : brouillon écrit — {Inputs.Plural(draft.Themes.Count, "thème", "thèmes")}, {Inputs.Plural(questions, "question", "questions")}"
            + (draft.Scale.Count > 0 ? $", échelle de {draft.Scale.Count} niveaux" : "")
            + (notes.Count > 0 ? $" ; {Inputs.Plural(notes.Count, "élément non repris ou repris avec réserve", "éléments non repris ou repris avec réserve")}, listés ci-dessus et en tête du brouillon." : "."));
        if (converted is not null)
        {
            context.Out.WriteLine($"{outResponses} : {Inputs.Plural(converted.Responses.Count, "collectivité", "collectivités")}, {Inputs.Plural(questions, "question", "questions")}.");
        }
        var check = draft.Check(outModel);
        if (check.Value is null)
        {
            context.Out.WriteLine($"Le brouillon ne se valide pas encore : complétez dans {outModel} ce qui suit, puis « barometre validate --model {outModel} ».");
            Inputs.PrintProblems(check, context.Out);
            return ExitCodes.DraftToComplete;
        }
        context.Out.WriteLine($"Le brouillon se valide. À écrire encore : les indicateurs clés (indicators), que le calcul publie comme chiffres clés ; relisez les textes, puis « barometre validate --model {outModel} ».");
        return ExitCodes.Success;
    }
}
