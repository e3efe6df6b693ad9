namespace Barometre.Core.Responses;

/// <summary>A responding collectivité and what is known of it.</summary>
/// <param name="Code">Its unique code (SIREN or any identifier the operator uses).</param>
/// <param name="Name">Its name (« nom »).</param>
/// <param name="Type">Its type (métropole, communauté d'agglomération…), or null.</param>
/// <param name="Population">Its population, or null.</param>
/// <param name="Region">Its region, or null.</param>
public sealed record Respondent(string Code, string Name, string? Type = null, long? Population = null, string? Region = null);
