using Barometre.Data.Import.Surveys;
using MiniExcelLibs;

namespace Barometre.Data.Import.XlsForm;

/// <summary>
/// Reads an XLSForm (KoboToolbox, ODK: an .xlsx with a <c>survey</c> and a <c>choices</c> sheet) into a
/// <see cref="ModelDraft"/>: each top-level group (<c>begin group</c> … <c>end group</c>) becomes a theme, each
/// <c>select_one LIST</c> question a question, the names of the list's choices its answer codes (levels through the
/// <see cref="LevelMap"/> when they are not 0 … n − 1). Labels are taken in French when a <c>label::…</c> column is
/// French, else from <c>label</c>, else the first label column. Other questions are noted with their reason. The legacy
/// spellings <c>select one from LIST</c>, <c>list name</c> and <c>label:english</c> are read too.
/// </summary>
public static class XlsFormImport
{
    /// <summary>The largest form read (32 Mio): a form of a thousand questions takes a few hundred Ko.</summary>
    public const long MaxBytes = 32L * 1024 * 1024;

    /// <summary>Reads an .xlsx file.</summary>
    public static ImportResult<ModelDraft> Load(string path, LevelMap levels) => SurveyFile.Load(path, stream => Read(stream, path, levels));

    /// <summary>Reads an .xlsx from a stream; <paramref name="source"/> names it in problems and notes.</summary>
    public static ImportResult<ModelDraft> Read(Stream stream, string source, LevelMap levels)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(levels);
        using var copy = new MemoryStream();
        var buffer = new byte[81_920];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            copy.Write(buffer, 0, read);
            if (copy.Length > MaxBytes)
            {
                return Fail(source, $"le fichier dépasse {MaxBytes / (1024 * 1024)} Mio : un formulaire XLSForm en fait quelques centaines de Ko");
            }
        }
        Dictionary<string, List<Row>> sheets;
        try
        {
            copy.Position = 0;
            var names = MiniExcel.GetSheetNames(copy);
            sheets = new Dictionary<string, List<Row>>(StringComparer.OrdinalIgnoreCase);
            foreach (var name in names.Where(name => name.Trim().ToLowerInvariant() is "survey" or "choices" or "settings"))
            {
                copy.Position = 0;
                sheets.TryAdd(name.Trim(), [.. MiniExcel.Query(copy, useHeaderRow: false, sheetName: name)
                    .Select((row, index) => new Row(index + 1, ((IDictionary<string, object?>)row).ToDictionary(cell => cell.Key, cell => SheetRows.Text(cell.Value), StringComparer.Ordinal)))]);
            }
        }
        catch (Exception e) when (SheetRows.IsUnreadable(e))
        {
            return Fail(source, $"ce n'est pas un classeur .xlsx lisible : enregistrez le formulaire au format Excel (.xlsx) ({TextRules.Quote(e.Message)})");
        }
        if (!sheets.TryGetValue("survey", out var survey))
        {
            return Fail(source, "le classeur n'a pas de feuille « survey » : ce n'est pas un formulaire XLSForm");
        }
        var survey2 = new XlsFormReader(source, Path.GetFileNameWithoutExtension(source), sheets).Read(survey);
        return survey2.Value is { } value ? ImportResult.Success(DraftBuilder.Build(value, levels)) : ImportResult.Failure<ModelDraft>(survey2.Problems);
    }

    private static ImportResult<ModelDraft> Fail(string source, string message) => ImportResult.Failure<ModelDraft>([new InputProblem(source, null, null, message)]);

    /// <summary>A row of a sheet: its number and its cells by column letter.</summary>
    internal sealed record Row(int Number, IReadOnlyDictionary<string, string> Cells)
    {
        public string this[string? column] => column is not null && Cells.TryGetValue(column, out var value) ? value.Trim() : "";
    }
}
