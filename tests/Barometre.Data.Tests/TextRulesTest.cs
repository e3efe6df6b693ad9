namespace Barometre.Data.Tests;

public sealed class TextRulesTest
{
    [Theory]
    [InlineData("Lyon", false, -1)]
    [InlineData("ligne 1\nligne 2\tfin\r\n", true, -1)]
    [InlineData("ligne 1\nligne 2", false, 7)]
    [InlineData("a\0b", true, 1)]
    [InlineData("\u001b[31mrouge", true, 0)]
    [InlineData("x\u0085", true, 1)]
    [InlineData("x\u007f", false, 1)]
    [InlineData("émoji 🙂 ok", false, -1)]
    public void IndexOfForbidden_FindsControlCharactersAndLoneSurrogates(string text, bool multiline, int expected) =>
        Assert.Equal(expected, TextRules.IndexOfForbidden(text, multiline));

    [Fact]
    public void IndexOfForbidden_LoneSurrogate()
    {
        // Built at run time: attribute arguments are stored as UTF-8, which has no lone surrogate.
        Assert.Equal(5, TextRules.IndexOfForbidden("seul " + (char)0xD83D, multiline: false));
        Assert.Equal(0, TextRules.IndexOfForbidden((char)0xDE42 + " seul", multiline: true));
    }

    [Fact]
    public void Problem_TooLong_SaysTheLimitAndTheLength() =>
        Assert.Equal("Le nom dépasse 200 caractères (201).", TextRules.Problem(new string('a', 201), "Le nom", FieldLimits.Name, multiline: false));

    [Fact]
    public void Problem_Nul_NamesTheCharacterAndItsPosition()
    {
        var problem = TextRules.Problem("abc\0", "Le commentaire", FieldLimits.AnswerText, multiline: true);
        Assert.Equal("Le commentaire contient un caractère de contrôle (U+0000, position 4) : seuls les tabulations et les retours à la ligne sont admis.", problem);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Commentaire\nsur deux lignes")]
    public void Problem_AcceptableText_IsNull(string? text) =>
        Assert.Null(TextRules.Problem(text, "Le commentaire", FieldLimits.AnswerText, multiline: true));

    [Fact]
    public void Quote_EscapesControlsAndCutsAtTheLimit()
    {
        Assert.Equal("a U+001B[31m b U+0000", TextRules.Quote("a \u001b[31m b \0"));
        var quoted = TextRules.Quote(new string('x', 50_000_000));
        Assert.Equal(new string('x', TextRules.QuotedLength) + "…", quoted);
        Assert.Equal(new string('y', TextRules.QuotedLength), TextRules.Quote(new string('y', TextRules.QuotedLength)));
        Assert.Equal("🙂🙂", TextRules.Quote("🙂🙂"));
    }
}
