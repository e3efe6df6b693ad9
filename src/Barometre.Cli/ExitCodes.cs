namespace Barometre.Cli;

/// <summary>The command's exit codes.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>An input file is invalid; every problem was printed on stderr.</summary>
    public const int InvalidInput = 1;

    /// <summary>The command line itself is wrong (unknown option, missing argument, bad value).</summary>
    public const int UsageError = 2;

    /// <summary>A tool the command needs is missing (chromium for PDF); the message says how to install it.</summary>
    public const int MissingTool = 4;

    /// <summary>A bug: something that should not happen did.</summary>
    public const int InternalError = 3;
}
