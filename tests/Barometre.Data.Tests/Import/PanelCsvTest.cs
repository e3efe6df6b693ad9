using System.Text;
using Barometre.Core.Responses;
using Barometre.Data.Import;

namespace Barometre.Data.Tests.Import;

/// <summary>The panel import: the wide CSV's identification columns and the invitation's address.</summary>
public sealed class PanelCsvTest
{
    private const string Source = "panel.csv";

    private static ImportResult<IReadOnlyList<PanelEntry>> Read(string text) =>
        PanelCsv.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), Source);

    [Fact]
    public void Read_ValidPanel_GivesEntriesWithAddresses()
    {
        var result = Read("code;nom;type;population;region;email\nC1;Alpha;commune;1 000;Bretagne;mairie@alpha.fr\nC2;Bêta;;;;\n");

        Assert.True(result.Succeeded, string.Join('\n', result.Problems));
        Assert.Equal(
            [new PanelEntry(new Respondent("C1", "Alpha", "commune", 1000, "Bretagne"), "mairie@alpha.fr"), new PanelEntry(new Respondent("C2", "Bêta"), null)],
            result.Value!);
    }

    [Theory]
    [InlineData("mairie@alpha.fr\u0000", "mairie@alpha.frU+0000")]
    [InlineData("mai\u001brie@alpha.fr", "maiU+001Brie@alpha.fr")]
    [InlineData("deux@@alpha.fr", "deux@@alpha.fr")]
    [InlineData("sans-arobase", "sans-arobase")]
    public void Read_BadAddress_IsRefusedWithItsValueEscaped(string email, string quoted)
    {
        var result = Read($"code;nom;email\nC1;Alpha;{email}\n");

        var problem = Assert.Single(result.Problems);
        Assert.Equal((Source, 2, 3), (problem.Source, problem.Line, problem.Column));
        Assert.Equal($"colonne email : « {quoted} » n'est pas une adresse électronique", problem.Message);
    }

    [Fact]
    public void Read_AddressBeyondItsLimit_IsRefused()
    {
        var local = new string('a', 64);
        var atLimit = $"{local}@{new string('b', FieldLimits.Email - 65)}";

        var accepted = Read($"code;nom;email\nC1;Alpha;{atLimit}\n");
        var refused = Read($"code;nom;email\nC1;Alpha;{atLimit}b\n");

        Assert.Equal(atLimit, Assert.Single(accepted.Value!).Email);
        var problem = Assert.Single(refused.Problems);
        Assert.Equal((2, 3), (problem.Line, problem.Column));
        Assert.Equal($"colonne email : « {local}@{new string('b', 35)}… » n'est pas une adresse électronique", problem.Message);
    }

    [Fact]
    public void Read_QuestionColumnInAPanel_IsUnknown()
    {
        var problem = Assert.Single(Read("code;nom;strategie.levier\nC1;Alpha;3\n").Problems);

        Assert.Equal((1, 3), (problem.Line, problem.Column));
        Assert.Equal("colonne inconnue « strategie.levier » : un fichier de panel a les colonnes code, nom, type, population, region, email", problem.Message);
    }
}
