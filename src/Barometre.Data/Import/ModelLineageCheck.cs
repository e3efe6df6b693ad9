using Barometre.Core.Model;

namespace Barometre.Data.Import;

/// <summary>
/// Checks a model's <c>follows:</c> block against the earlier model it names and resolves the mapping between the two
/// editions, reporting each problem at its line and column in the later model's file.
/// </summary>
/// <remarks>
/// The block's form and its own ids are checked when the later model is read (<see cref="ModelFile"/>); what needs the
/// earlier model — that <c>follows.model</c> is its id, that the earlier ids exist, that no earlier id is claimed both
/// by an entry and by a later measure of the same id, that <c>levels</c> stays within the earlier scale — is checked
/// here, by <see cref="EditionMapping.Validate"/>. See docs/model-format.md.
/// </remarks>
public static class ModelLineageCheck
{
    /// <summary>The mapping of <paramref name="later"/> (a model's text) onto <paramref name="earlier"/>, or every problem found.</summary>
    /// <param name="earlier">The earlier edition's model.</param>
    /// <param name="later">The later edition's model text, whose name problems carry.</param>
    public static ImportResult<EditionMapping> Validate(MaturityModel earlier, ModelText later)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        ArgumentNullException.ThrowIfNull(later);
        var read = ModelFile.Read(later, out var locations);
        if (read.Value is not { } model)
        {
            return ImportResult.Failure<EditionMapping>(read.Problems, read.ProblemCount);
        }
        var problems = EditionMapping.Validate(earlier, model);
        if (problems.Count == 0)
        {
            return ImportResult.Success(new EditionMapping(earlier, model));
        }
        return ImportResult.Failure<EditionMapping>(
        [
            .. problems
                .Select(problem => locations?.Of(problem) is { } place
                    ? new InputProblem(later.Source, place.Line, place.Column, problem.Message)
                    : new InputProblem(later.Source, null, null, problem.Message))
                .OrderBy(p => p.Line ?? 0)
                .ThenBy(p => p.Column ?? 0),
        ]);
    }

    /// <summary>
    /// The mapping between two model files or shipped models (<see cref="ModelFile.ReadText(string)"/>), or every problem
    /// found: those of each file, else those of the later one's lineage.
    /// </summary>
    /// <param name="earlierPathOrId">The earlier edition's model.</param>
    /// <param name="laterPathOrId">The later edition's model, which follows the earlier one.</param>
    public static ImportResult<EditionMapping> Load(string earlierPathOrId, string laterPathOrId)
    {
        var earlier = ModelFile.Load(earlierPathOrId);
        var laterText = ModelFile.ReadText(laterPathOrId);
        if (earlier.Value is { } model && laterText.Value is { } text)
        {
            return Validate(model, text);
        }
        // Without the earlier model the lineage cannot be checked, but the later model's own problems can be reported.
        var (laterProblems, laterCount) = laterText.Value is { } readable && ModelFile.Read(readable) is var later
            ? (later.Problems, later.ProblemCount)
            : (laterText.Problems, laterText.ProblemCount);
        var problems = earlier.Problems.Concat(laterProblems).Take(ImportResult<EditionMapping>.MaxReported).ToList();
        return ImportResult.Failure<EditionMapping>(problems, earlier.ProblemCount + laterCount);
    }
}
