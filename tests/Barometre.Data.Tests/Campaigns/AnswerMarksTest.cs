using Barometre.Data.Campaigns;

namespace Barometre.Data.Tests.Campaigns;

public sealed class AnswerMarksTest
{
    [Theory]
    [InlineData(AnswerMark.None, null)]
    [InlineData(AnswerMark.DontKnow, "NSP")]
    [InlineData(AnswerMark.NotConcerned, "NC")]
    public void Code_WritesTheMarkAsTheEdgesDo(AnswerMark mark, string? expected)
    {
        Assert.Equal(expected, AnswerMarks.Code(mark));
        Assert.Equal(mark, AnswerMarks.Parse(expected));
    }

    [Theory]
    [InlineData(" nsp ", AnswerMark.DontKnow)]
    [InlineData("Nc", AnswerMark.NotConcerned)]
    [InlineData("", AnswerMark.None)]
    [InlineData("  ", AnswerMark.None)]
    [InlineData("PEUT-ÊTRE", null)]
    public void Parse_TrimsAndIgnoresCase(string status, AnswerMark? expected) =>
        Assert.Equal(expected, AnswerMarks.Parse(status));

    [Theory]
    [InlineData(-3)]
    [InlineData(-2)]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(4)]
    public void SetCell_IsTheReverseOfCell(int cell)
    {
        var answer = new Answer { QuestionId = "a.q1", Level = 2, Mark = AnswerMark.DontKnow };

        answer.SetCell((sbyte)cell);

        Assert.Equal(cell, answer.Cell);
    }
}
