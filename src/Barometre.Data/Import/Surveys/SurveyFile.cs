namespace Barometre.Data.Import.Surveys;

/// <summary>Opens the input files of the survey imports, with the same French problems when one cannot be read.</summary>
internal static class SurveyFile
{
    /// <summary>Reads <paramref name="path"/> with <paramref name="read"/>; a problem when it is missing or unreadable.</summary>
    public static ImportResult<T> Load<T>(string path, Func<Stream, ImportResult<T>> read)
        where T : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            return ImportResult.Failure<T>([new InputProblem(path, null, null, "fichier introuvable")]);
        }
        try
        {
            using var stream = File.OpenRead(path);
            return read(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ImportResult.Failure<T>([new InputProblem(path, null, null, $"lecture impossible : {e.Message}")]);
        }
    }
}
