using System.Text.RegularExpressions;

namespace Barometre.Cli;

/// <summary>
/// The words of System.CommandLine that its French resources leave in English (help headings, defaults, the usual
/// parse errors), in French with French quotes — so that <c>--help</c> and every usage error read entirely in French.
/// </summary>
internal static partial class CommandLineFrench
{
    public const string HelpDescription = "Afficher l'aide et l'utilisation";

    /// <summary>The help text, its remaining English headings and defaults in French.</summary>
    public static string Help(string text)
    {
        // With a no-break space before the colon, as System.CommandLine's French headings (« Utilisation : »).
        text = HelpHeading().Replace(text, match => match.Groups["heading"].Value + "\u00a0:");
        text = DefaultValue().Replace(text, "[par défaut : ${value}]");
        return text.Replace("[command]", "[commande]", StringComparison.Ordinal);
    }

    /// <summary>A parse error in French, quotes as « » .</summary>
    public static string Error(string message)
    {
        foreach (var (pattern, replacement) in Errors)
        {
            if (pattern.Match(message) is { Success: true } match)
            {
                message = match.Result(replacement.Replace("${type}", TypeName(match.Groups["type"].Value), StringComparison.Ordinal));
                break;
            }
        }
        message = Quoted().Replace(message, "« ${text} »");
        // After « barometre : », as every message of the command: « Argument… » reads « argument… ».
        return message.Length > 1 && char.IsUpper(message[0]) && char.IsLower(message[1])
            ? char.ToLowerInvariant(message[0]) + message[1..]
            : message;
    }

    /// <summary>What a value of a .NET type is, for the user.</summary>
    private static string TypeName(string type) => type switch
    {
        "System.Int32" or "System.Int64" or "System.UInt32" or "System.UInt64" or "System.Int16" => "un nombre entier",
        "System.Double" or "System.Single" or "System.Decimal" => "un nombre",
        "System.Boolean" => "true ou false",
        "System.DateOnly" => "une date AAAA-MM-JJ",
        "System.DateTime" or "System.DateTimeOffset" => "une date et heure AAAA-MM-JJTHH:MM",
        "System.IO.FileInfo" or "System.IO.DirectoryInfo" => "un chemin",
        _ => type,
    };

    private static readonly (Regex Pattern, string Replacement)[] Errors =
    [
        (new(@"^Option '(?<option>.+)' is required\.$"), "l'option '${option}' est obligatoire."),
        (new(@"^Cannot parse argument '(?<value>.*)' for option '(?<option>.+)' as expected type '(?<type>.+?)'\.(?<rest>.*)$", RegexOptions.Singleline),
            "la valeur '${value}' de l'option '${option}' n'est pas valide (attendu : ${type}).${rest}"),
        (new(@"^Cannot parse argument '(?<value>.*)' for command '(?<command>.+)' as expected type '(?<type>.+?)'\.(?<rest>.*)$", RegexOptions.Singleline),
            "l'argument '${value}' de la commande '${command}' n'est pas valide (attendu : ${type}).${rest}"),
        (new(@"^Cannot parse argument '(?<value>.*)' as expected type '(?<type>.+?)'\.$"), "l'argument '${value}' n'est pas valide (attendu : ${type})."),
        (new(@"^Option '(?<option>.+)' expects a single argument but (?<count>\d+) were provided\.$"),
            "l'option '${option}' attend une seule valeur, ${count} ont été données."),
        (new(@"^'(?<token>.+)' was not matched\. Did you mean one of the following\?(?<rest>.*)$", RegexOptions.Singleline),
            "'${token}' n'est pas reconnu ; vouliez-vous dire :${rest}"),
        (new(@"^(?<option>.+) option cannot be combined with other arguments\.$"), "l'option ${option} ne se combine pas avec d'autres arguments."),
        (new(@"^Character not allowed in a file name: '(?<name>.*)'\.$"), "caractère interdit dans un nom de fichier : '${name}'."),
    ];

    [GeneratedRegex(@"^(?<heading>Description|Arguments):$", RegexOptions.Multiline)]
    private static partial Regex HelpHeading();

    [GeneratedRegex(@"\[default: (?<value>[^\]]*)\]")]
    private static partial Regex DefaultValue();

    /// <summary>A 'quoted' value: the opening quote after a space, colon or the start (not an apostrophe, as in « l'option »).</summary>
    [GeneratedRegex(@"(?<=^|[\s:(])'(?<text>[^']*)'(?=$|[\s.,;:)])")]
    private static partial Regex Quoted();
}
