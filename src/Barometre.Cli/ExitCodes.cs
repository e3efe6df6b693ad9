namespace Barometre.Cli;

/// <summary>The command's exit codes, each with its meaning as <c>barometre --help</c> and the README list them.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>An input is invalid (a file, a value of the data); every problem was printed on stderr, nothing written.</summary>
    public const int InvalidInput = 1;

    /// <summary>The command line itself is wrong (unknown option, missing argument, bad value).</summary>
    public const int UsageError = 2;

    /// <summary>A bug: something that should not happen did.</summary>
    public const int InternalError = 3;

    /// <summary>A tool the command needs is missing (chromium for PDF); the message says how to install it.</summary>
    public const int MissingTool = 4;

    /// <summary>
    /// The environment: a file or folder cannot be read or written (rights, read-only or full disk, a folder given for
    /// a file), the database cannot be reached, refuses writes or is in use; the message names it and says what to do.
    /// </summary>
    public const int Environment = 5;

    /// <summary>
    /// An import wrote a model draft that does not validate yet (a theme without title, levels without labels…); the
    /// messages say what the operator must fill in.
    /// </summary>
    public const int DraftToComplete = 6;

    /// <summary>Every code with its French meaning, in order: what <c>barometre --help</c> prints.</summary>
    public static IReadOnlyList<(int Code, string Meaning)> All { get; } =
    [
        (Success, "succès"),
        (InvalidInput, "entrée invalide : chaque problème est écrit sur la sortie d'erreur (fichier:ligne:colonne: message), rien n'est écrit"),
        (UsageError, "ligne de commande incorrecte (option inconnue, argument manquant, valeur invalide)"),
        (InternalError, "erreur interne : un défaut de Baromètre, à signaler"),
        (MissingTool, "outil manquant (chromium pour --pdf) : le message dit comment l'installer"),
        (Environment, "environnement : fichier, dossier ou base de données inaccessible (droits, disque plein ou en lecture seule, "
            + "dossier au lieu d'un fichier, serveur injoignable, base en cours d'utilisation) : le message dit lequel et quoi faire"),
        (DraftToComplete, "import : brouillon de référentiel écrit, mais à compléter avant usage : les messages disent quoi y écrire"),
    ];
}
