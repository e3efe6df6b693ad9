using System.Globalization;
using System.Text;

namespace Barometre.Data.Import;

/// <summary>
/// One problem found in an input file, located so that the operator can fix it: file, line, column and
/// the id or value concerned. Messages are in French; <see cref="ToString"/> gives the
/// <c>file:line:column: message</c> form that editors and terminals link to.
/// </summary>
/// <param name="Source">The file name (or upload name).</param>
/// <param name="Line">1-based physical line, or null when the problem concerns the whole file.</param>
/// <param name="Column">1-based column (CSV field position or YAML column), or null.</param>
/// <param name="Message">What is wrong and what is expected, in French, naming the id or value.</param>
public sealed record InputProblem(string Source, int? Line, int? Column, string Message)
{
    /// <summary>
    /// The sheet of a workbook (.xlsx) the problem is in, or null for a text file; with a sheet, <see cref="Line"/> is the
    /// sheet's row number and <see cref="Column"/> its column number, which <see cref="ToString"/> writes as Excel's letters.
    /// </summary>
    public string? Sheet { get; init; }

    /// <summary>The letters Excel names a column with: 1 → A, 26 → Z, 27 → AA.</summary>
    public static string ColumnLetters(int column)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(column, 1);
        var letters = new StringBuilder();
        for (; column > 0; column = (column - 1) / 26)
        {
            letters.Insert(0, (char)('A' + ((column - 1) % 26)));
        }
        return letters.ToString();
    }

    /// <inheritdoc />
    public override string ToString()
    {
        if (Sheet is not null)
        {
            // A spreadsheet's user finds a cell by its sheet, row and column letter, as Excel shows them.
            var place = new StringBuilder(Source).Append(CultureInfo.InvariantCulture, $", feuille « {Sheet} »");
            if (Line is { } row)
            {
                place.Append(CultureInfo.InvariantCulture, $", ligne {row}");
            }
            if (Column is { } letter)
            {
                place.Append(", colonne ").Append(ColumnLetters(letter));
            }
            return place.Append(" : ").Append(Message).ToString();
        }
        var text = new StringBuilder(Source);
        if (Line is { } line)
        {
            text.Append(CultureInfo.InvariantCulture, $":{line}");
            if (Column is { } column)
            {
                text.Append(CultureInfo.InvariantCulture, $":{column}");
            }
        }
        return text.Append(": ").Append(Message).ToString();
    }
}

/// <summary>The outcome of reading an input: the value, or every problem found (never both).</summary>
/// <typeparam name="T">What was read.</typeparam>
public sealed class ImportResult<T>
    where T : class
{
    internal ImportResult(T? value, IReadOnlyList<InputProblem> problems, int problemCount)
    {
        Value = value;
        Problems = problems;
        ProblemCount = problemCount;
    }

    /// <summary>The value read; null when there are problems.</summary>
    public T? Value { get; }

    /// <summary>The problems found, in file order (at most <see cref="MaxReported"/>).</summary>
    public IReadOnlyList<InputProblem> Problems { get; }

    /// <summary>How many problems were found in all, including those beyond <see cref="MaxReported"/>.</summary>
    public int ProblemCount { get; }

    /// <summary>Whether the input was read without problem.</summary>
    public bool Succeeded => Value is not null;

    /// <summary>The most problems kept in <see cref="Problems"/>; a file of garbage should not exhaust memory.</summary>
    public const int MaxReported = 10_000;

    /// <summary>The value, or an <see cref="InvalidInputException"/> carrying the problems.</summary>
    public T GetValueOrThrow() => Value ?? throw new InvalidInputException(Problems, ProblemCount);
}

/// <summary>Creates <see cref="ImportResult{T}"/> values.</summary>
public static class ImportResult
{
    /// <summary>A success.</summary>
    public static ImportResult<T> Success<T>(T value)
        where T : class => new(value, [], 0);

    /// <summary>A failure with its problems (at least one).</summary>
    public static ImportResult<T> Failure<T>(IReadOnlyList<InputProblem> problems, int? problemCount = null)
        where T : class
    {
        if (problems.Count == 0)
        {
            throw new ArgumentException("A failure needs at least one problem.", nameof(problems));
        }
        return new(null, problems, problemCount ?? problems.Count);
    }
}

/// <summary>Thrown when an input cannot be used; carries every problem found.</summary>
public sealed class InvalidInputException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InvalidInputException(IReadOnlyList<InputProblem> problems, int problemCount)
        : base(problems.Count > 0 ? problems[0].ToString() : "invalid input")
    {
        Problems = problems;
        ProblemCount = problemCount;
    }

    /// <summary>The problems (possibly truncated).</summary>
    public IReadOnlyList<InputProblem> Problems { get; }

    /// <summary>The total number of problems.</summary>
    public int ProblemCount { get; }
}
