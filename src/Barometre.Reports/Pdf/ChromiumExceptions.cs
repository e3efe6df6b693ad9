namespace Barometre.Reports.Pdf;

/// <summary>No chromium executable where it was looked for.</summary>
public sealed class ChromiumNotFoundException : Exception
{
    internal const string InstallHint =
        "installez-le (apt-get install chromium) ou indiquez son chemin dans BAROMETRE_CHROMIUM.";

    /// <summary>Chromium was looked for and not found.</summary>
    public ChromiumNotFoundException()
        : base($"Chromium est introuvable : {InstallHint}")
    {
    }

    /// <summary>Chromium is not at <paramref name="path"/> (null: found nowhere).</summary>
    public ChromiumNotFoundException(string? path)
        : base(path is null
            ? $"Chromium est introuvable : {InstallHint}"
            : $"Chromium est introuvable (« {path} » n'existe pas) : {InstallHint}")
    {
        Path = path;
    }

    /// <summary>With a message of your own.</summary>
    public ChromiumNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The path that was tried, when one was given.</summary>
    public string? Path { get; }
}

/// <summary>
/// Chromium failed: it did not start, it crashed, the DevTools connection broke, or a DevTools command
/// returned an error. The message says which, with chromium's own words where there are some.
/// </summary>
public sealed class ChromiumPdfException : Exception
{
    /// <summary>Chromium failed.</summary>
    public ChromiumPdfException()
    {
    }

    /// <summary>Chromium failed: <paramref name="message"/> says how.</summary>
    public ChromiumPdfException(string message)
        : base(message)
    {
    }

    /// <summary>Chromium failed: <paramref name="message"/> says how, <paramref name="innerException"/> why.</summary>
    public ChromiumPdfException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
