using Barometre.Core;
using Barometre.Core.Model;
using Barometre.Data;
using Barometre.Data.Import;

namespace Barometre.Web.Pages.Admin;

/// <summary>Uploaded files of the operator pages: size limits, names, reading.</summary>
public static class Uploads
{
    /// <summary>The largest file accepted (20 Mo).</summary>
    public const long MaxFileBytes = 20L * 1024 * 1024;

    /// <summary>The largest request accepted, a little more than two files.</summary>
    public const long MaxRequestBytes = (2 * MaxFileBytes) + (1024 * 1024);

    /// <summary>« 20 Mo ».</summary>
    public static string MaxFileText => $"{MaxFileBytes / (1024 * 1024)}{FrenchFormat.NarrowNoBreakSpace}Mo";

    /// <summary>
    /// The file's name without the folders some browsers send, for problems (« panel.csv »), as messages quote any
    /// value (<see cref="TextRules.Quote"/>: short, control characters written out).
    /// </summary>
    public static string NameOf(IFormFile file, string fallback)
    {
        ArgumentNullException.ThrowIfNull(file);
        var name = file.FileName ?? "";
        var slash = Math.Max(name.LastIndexOf('/'), name.LastIndexOf('\\'));
        name = name[(slash + 1)..].Trim();
        return name.Length == 0 ? fallback : TextRules.Quote(name);
    }

    /// <summary>Why a file cannot be read at all (missing, empty, too large), in French; null when it can.</summary>
    public static string? Check(IFormFile? file, string what)
    {
        if (file is null)
        {
            return $"Déposez {what}.";
        }
        if (file.Length == 0)
        {
            return $"Le fichier « {NameOf(file, "?")} » est vide.";
        }
        if (file.Length > MaxFileBytes)
        {
            return $"Le fichier « {NameOf(file, "?")} » dépasse {MaxFileText}.";
        }
        return null;
    }

    /// <summary>
    /// Reads an uploaded file with a synchronous reader (the CSV imports): the upload (20 Mo at most) is buffered
    /// first rather than read on the request's thread.
    /// </summary>
    public static async Task<T> ReadBufferedAsync<T>(IFormFile file, Func<Stream, T> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(read);
        using var buffer = new MemoryStream();
        await using (var stream = file.OpenReadStream())
        {
            await stream.CopyToAsync(buffer, cancellationToken);
        }
        buffer.Position = 0;
        return read(buffer);
    }

    /// <summary>
    /// Reads an uploaded model (YAML or JSON) as the CLI reads a model file (<see cref="ModelFile.ReadText(Stream, string)"/>:
    /// size, UTF-8, then the model's own limits): its text and the model, or every problem.
    /// </summary>
    public static async Task<(string Text, ImportResult<MaturityModel> Model)> ReadModelAsync(IFormFile file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        var source = NameOf(file, "référentiel");
        var text = await ReadBufferedAsync(file, stream => ModelFile.ReadText(stream, source), cancellationToken);
        return text.Value is { } model
            ? (model.Text, ModelFile.Read(model))
            : ("", ImportResult.Failure<MaturityModel>(text.Problems, text.ProblemCount));
    }
}
