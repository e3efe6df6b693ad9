using System.CommandLine;
using Barometre.Core;

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
        Description = "Réponses du panel : CSV large (code, nom, type, population, region, une colonne par question)",
        Required = required,
    };

    public static Option<long> Seed() => new("--seed")
    {
        Description = "Graine des tirages aléatoires (k-means, bootstrap) : même graine, mêmes résultats",
        DefaultValueFactory = _ => BarometerOptions.Default.Seed,
    };

    public static Option<int> Bootstrap()
    {
        var option = new Option<int>("--bootstrap")
        {
            Description = "Nombre de rééchantillonnages bootstrap pour les intervalles des scores de thème (0 : aucun)",
            DefaultValueFactory = _ => BarometerOptions.Default.Bootstrap,
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
            {
                result.AddError("--bootstrap doit être positif ou nul.");
            }
        });
        return option;
    }

    public static Option<int> K()
    {
        var option = new Option<int>("--k")
        {
            Description = "Nombre de segments (3 : stratèges, pragmatiques, retardataires)",
            DefaultValueFactory = _ => BarometerOptions.Default.K,
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 2)
            {
                result.AddError("--k doit valoir au moins 2.");
            }
        });
        return option;
    }
}
