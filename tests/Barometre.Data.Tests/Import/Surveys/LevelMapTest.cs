using Barometre.Core.Responses;
using Barometre.Data.Import.Surveys;

namespace Barometre.Data.Tests.Import.Surveys;

public sealed class LevelMapTest
{
    [Fact]
    public void Read_ScaleCodesAndQuestions()
    {
        const string yaml = """
            scale: [Rien, Un peu, Beaucoup]
            codes:
              A1: 0
              A2: 1
              A3: 2
              A9: nsp
              A0: NC
            questions:
              Q06: {"5": 0, "3": 1, "1": 2}
            """;

        var map = LevelMap.Read(yaml, "niveaux.yaml").GetValueOrThrow();

        Assert.Equal(["Rien", "Un peu", "Beaucoup"], map.Scale);
        Assert.Equal(new Dictionary<string, sbyte> { ["A1"] = 0, ["A2"] = 1, ["A3"] = 2, ["A9"] = CellCode.DontKnow, ["A0"] = CellCode.NotConcerned }, map.Codes);
        Assert.Equal(2, map.Questions["Q06"].Codes["1"]);
    }

    [Fact]
    public void Read_Mistakes_EachWithLineAndColumn()
    {
        const string yaml = """
            scale: [Rien, Tout]
            codes:
              A1: 0
              A2: cinq
              A3: 2
            question:
              Q06: {}
            """;

        var result = LevelMap.Read(yaml, "niveaux.yaml");

        Assert.Equal(
        [
            "niveaux.yaml:4:7: « codes » : le code « A2 » vaut « cinq » ; attendu un niveau de 0 à 1, NSP ou NC",
            "niveaux.yaml:5:7: « codes » : le code « A3 » vaut « 2 » ; attendu un niveau de 0 à 1, NSP ou NC",
            "niveaux.yaml:6:1: clé inconnue « question » (clés permises : scale, codes, questions)",
        ], result.Problems.Select(problem => problem.ToString()));
    }

    [Theory]
    [InlineData("codes:\n  A1: 0\n A2: 1\n", 3)]
    [InlineData("codes: {A1: 0\nquestions: [", 0)]
    public void Read_NotYaml_SyntaxProblem(string yaml, int line)
    {
        var problem = Assert.Single(LevelMap.Read(yaml, "niveaux.yaml").Problems);

        // YamlDotNet says where, except for brackets left open.
        Assert.Equal(("niveaux.yaml", line == 0 ? null : line), (problem.Source, problem.Line));
        Assert.StartsWith("syntaxe YAML invalide", problem.Message, StringComparison.Ordinal);
    }
}
