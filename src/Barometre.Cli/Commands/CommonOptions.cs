using System.CommandLine;
using Barometre.Core;
using Barometre.Data.Export;

namespace Barometre.Cli.Commands;

/// <summary>Options shared by several commands, described once.</summary>
internal static class CommonOptions
{
    public static Option<string> Model(bool required = true) => new("--model", "-m")
    {
        Description = "Référentiel : fichier YAML ou JSON, ou identifiant d'un référentiel fourni (maturite-numerique-2019)",
        Required = required,
    };

    public static Option<string> Responses(bool required) => new("--responses", "-r")
    {
        Description = "Réponses du panel : CSV large ou classeur .xlsx (code, nom, type, population, region, une colonne par question)",
        Required = required,
    };

    /// <summary>The sheet of the workbook given to <paramref name="input"/> (« --responses »).</summary>
    public static Option<string?> Sheet(string input) => new("--sheet")
    {
        Description = $"Classeur .xlsx donné à {input} : la feuille à lire (la première par défaut)",
    };

    /// <summary>The format of a table written (<see cref="TableFormats"/>): one default everywhere, csv.</summary>
    public static Option<TableFormat> Format() => new("--format")
    {
        Description = "Format du fichier : csv (virgules, point décimal), csv-fr (Excel français : points-virgules, virgule décimale) ou xlsx (classeur Excel)",
        DefaultValueFactory = _ => TableFormat.Csv,
        CustomParser = result =>
        {
            var name = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (TableFormats.TryParse(name, out var format))
            {
                return format;
            }
            result.AddError($"--format : « {name} » inconnu ; choisissez {TableFormats.NamesText}.");
            return TableFormat.Csv;
        },
    };

    public static Option<long> Seed(long? defaultValue = null)
    {
        var option = new Option<long>("--seed")
        {
            Description = "Graine des tirages aléatoires (k-means, bootstrap), de 0 à 4294967295 : même graine, mêmes résultats",
            DefaultValueFactory = _ => defaultValue ?? BarometerOptions.Default.Seed,
        };
        return Validated(option, seed => seed is >= 0 and <= BarometerOptions.MaxSeed, "--seed doit être un entier de 0 à 4294967295.");
    }

    public static Option<int> Bootstrap()
    {
        var option = new Option<int>("--bootstrap")
        {
            Description = "Nombre de rééchantillonnages bootstrap pour les intervalles des scores de thème (0 : aucun)",
            DefaultValueFactory = _ => BarometerOptions.Default.Bootstrap,
        };
        return Validated(option, b => b >= 0, "--bootstrap doit être positif ou nul.");
    }

    public static Option<int> K()
    {
        var option = new Option<int>("--k")
        {
            Description = "Nombre de segments (3 : stratèges, pragmatiques, retardataires)",
            DefaultValueFactory = _ => BarometerOptions.Default.K,
        };
        return Validated(option, k => k >= 2, "--k doit valoir au moins 2.");
    }

    /// <summary>The secrecy threshold N: at least 1.</summary>
    public static Option<int> Threshold(string description, int defaultValue) => Validated(
        new Option<int>("--threshold") { Description = description, DefaultValueFactory = _ => defaultValue },
        n => n >= 1,
        "--threshold doit valoir au moins 1.");

    /// <summary>Adds a range check that runs only once the value parsed (a parse error is reported on its own).</summary>
    public static Option<T> Validated<T>(Option<T> option, Func<T, bool> isValid, string message)
    {
        option.Validators.Add(result =>
        {
            if (TryGetValue(result, out T value) && !isValid(value))
            {
                result.AddError(message);
            }
        });
        return option;
    }

    private static bool TryGetValue<T>(System.CommandLine.Parsing.OptionResult result, out T value)
    {
        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }
}
