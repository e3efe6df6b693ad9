namespace Barometre.Reports;

/// <summary>What the evolution document (<c>barometre compare --html</c>) shows: the change between two editions, for the public.</summary>
/// <param name="Previous">The earlier edition and what changed since.</param>
/// <param name="Date">The date printed on the document.</param>
public sealed record EvolutionReportData(PreviousEdition Previous, DateOnly Date);
