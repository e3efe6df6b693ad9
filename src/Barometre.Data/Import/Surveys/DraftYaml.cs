using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Barometre.Data.Import.Surveys;

/// <summary>
/// Writes a <see cref="ModelDraft"/> as a model file (docs/model-format.md), through YamlDotNet's emitter so that
/// every text is quoted as YAML requires; comments at the top list what the operator has to review or fill in.
/// </summary>
internal static class DraftYaml
{
    public static string Write(ModelDraft draft)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(text, new EmitterSettings().WithBestWidth(120).WithIndentedSequences());
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        Comment(emitter, "Brouillon de référentiel importé : relisez-le, complétez-le, puis « barometre validate --model CE_FICHIER ».");
        Comment(emitter, "À écrire : les indicateurs clés (indicators), les poids des thèmes s'ils diffèrent de 1, et, s'il y a lieu,");
        Comment(emitter, "l'édition (edition) et l'édition précédente (follows) ; docs/model-format.md explique chaque clé.");
        if (draft.Notes.Count > 0)
        {
            Comment(emitter, "Non repris ou repris avec réserve (fichier:ligne:colonne : raison) :");
            foreach (var note in draft.Notes)
            {
                foreach (var line in note.ToString().Split('\n'))
                {
                    Comment(emitter, "  " + line);
                }
            }
        }
        emitter.Emit(new MappingStart());
        Pair(emitter, "id", draft.Id);
        Pair(emitter, "title", draft.Title);
        Pair(emitter, "description", draft.Description);
        if (draft.Scale.Count > 0)
        {
            Key(emitter, "scale");
            emitter.Emit(new SequenceStart(null, null, false, SequenceStyle.Block));
            for (var level = 0; level < draft.Scale.Count; level++)
            {
                emitter.Emit(new MappingStart());
                Pair(emitter, "level", level.ToString(CultureInfo.InvariantCulture));
                Pair(emitter, "label", draft.Scale[level]);
                emitter.Emit(new MappingEnd());
            }
            emitter.Emit(new SequenceEnd());
        }
        Key(emitter, "themes");
        emitter.Emit(new SequenceStart(null, null, false, draft.Themes.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
        foreach (var theme in draft.Themes)
        {
            emitter.Emit(new MappingStart());
            Pair(emitter, "id", theme.Id);
            Pair(emitter, "title", theme.Title);
            Pair(emitter, "description", theme.Description);
            Key(emitter, "questions");
            emitter.Emit(new SequenceStart(null, null, false, SequenceStyle.Block));
            foreach (var question in theme.Questions)
            {
                emitter.Emit(new MappingStart());
                Pair(emitter, "id", question.Id);
                Pair(emitter, "label", question.Label);
                if (question.Help.Count > 0)
                {
                    Key(emitter, "help");
                    emitter.Emit(new SequenceStart(null, null, false, SequenceStyle.Block));
                    foreach (var help in question.Help)
                    {
                        Value(emitter, help);
                    }
                    emitter.Emit(new SequenceEnd());
                }
                emitter.Emit(new MappingEnd());
            }
            emitter.Emit(new SequenceEnd());
            emitter.Emit(new MappingEnd());
        }
        emitter.Emit(new SequenceEnd());
        emitter.Emit(new MappingEnd());
        emitter.Emit(new DocumentEnd(true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    /// <summary>A key and its text; nothing when the text is null, so that validation names the key as missing.</summary>
    private static void Pair(Emitter emitter, string key, string? value)
    {
        if (value is null)
        {
            return;
        }
        Key(emitter, key);
        Value(emitter, value);
    }

    private static void Key(Emitter emitter, string key) => emitter.Emit(new Scalar(key));

    private static void Value(Emitter emitter, string value) =>
        emitter.Emit(new Scalar(null, null, value, value.Contains('\n', StringComparison.Ordinal) ? ScalarStyle.Literal : ScalarStyle.Any, true, true));

    private static void Comment(Emitter emitter, string text) => emitter.Emit(new Comment(text, false));
}
