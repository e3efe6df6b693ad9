using System.Runtime.InteropServices;
using Barometre.Core.Model;

namespace Barometre.Core.Responses;

/// <summary>
/// A panel's answers to a maturity model: one row per respondent, one column per question in model order.
/// </summary>
/// <remarks>
/// Immutable. Cells use the <see cref="CellCode"/> encoding: a level 0..L−1, or a negative code for
/// blank, NSP or NC. Respondent codes are unique (ordinal comparison).
/// </remarks>
public sealed class ResponseSet
{
    private readonly sbyte[] _cells;

    /// <summary>Creates a response set.</summary>
    /// <param name="model">The model answered.</param>
    /// <param name="respondents">The respondents, in input order.</param>
    /// <param name="cells">Row-major cells: respondent r, question q at r × Q + q. Copied.</param>
    /// <exception cref="ArgumentException">
    /// A cell count that is not respondents × questions, a level above the scale or an unknown negative
    /// code, an empty or duplicated respondent code.
    /// </exception>
    public ResponseSet(MaturityModel model, IEnumerable<Respondent> respondents, ReadOnlySpan<sbyte> cells)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(respondents);
        Model = model;
        Respondents = [.. respondents];
        var q = model.Questions.Count;
        if (cells.Length != Respondents.Count * q)
        {
            throw new ArgumentException($"Expected {Respondents.Count} × {q} cells, got {cells.Length}.", nameof(cells));
        }
        var max = model.Scale.MaxLevel;
        var invalid = cells.IndexOfAnyExceptInRange(CellCode.NotConcerned, (sbyte)Math.Min(max, sbyte.MaxValue));
        if (invalid >= 0)
        {
            throw new ArgumentException($"Respondent {invalid / q}, question {model.Questions[invalid % q].Id}: invalid cell code {cells[invalid]}.", nameof(cells));
        }
        var codes = new HashSet<string>(Respondents.Count, StringComparer.Ordinal);
        foreach (var respondent in Respondents)
        {
            if (string.IsNullOrWhiteSpace(respondent.Code))
            {
                throw new ArgumentException("A respondent has an empty code.", nameof(respondents));
            }
            if (!codes.Add(respondent.Code))
            {
                throw new ArgumentException($"Duplicated respondent code {respondent.Code}.", nameof(respondents));
            }
        }
        _cells = cells.ToArray();
    }

    /// <summary>The model answered.</summary>
    public MaturityModel Model { get; }

    /// <summary>The respondents, in input order.</summary>
    public IReadOnlyList<Respondent> Respondents { get; }

    /// <summary>Number of respondents.</summary>
    public int Count => Respondents.Count;

    /// <summary>All cells, row-major (respondent × question, model order).</summary>
    public ReadOnlySpan<sbyte> Cells => _cells;

    /// <summary>One respondent's cells, in model question order.</summary>
    public ReadOnlySpan<sbyte> Row(int respondent) =>
        _cells.AsSpan(respondent * Model.Questions.Count, Model.Questions.Count);

    /// <summary>The cell of a respondent for a question (model-order index).</summary>
    public sbyte this[int respondent, int question] => _cells[(respondent * Model.Questions.Count) + question];

    /// <summary>The respondents kept by a filter, in the same order, as a new set (web filters, segments).</summary>
    public ResponseSet Where(Func<Respondent, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var q = Model.Questions.Count;
        var kept = new List<Respondent>();
        var cells = new List<sbyte>();
        for (var r = 0; r < Count; r++)
        {
            if (keep(Respondents[r]))
            {
                kept.Add(Respondents[r]);
                cells.AddRange(Row(r));
            }
        }
        return new ResponseSet(Model, kept, CollectionsMarshal.AsSpan(cells));
    }
}
