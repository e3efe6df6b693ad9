using Barometre.Data.Campaigns;

namespace Barometre.Data.Tests.Campaigns;

public sealed class CampaignContactTest
{
    [Theory]
    [InlineData(" Mission numérique ", " numerique@exemple.fr ", "Mission numérique", "numerique@exemple.fr", "Mission numérique (numerique@exemple.fr)")]
    [InlineData("Mission numérique", "", "Mission numérique", null, "Mission numérique")]
    [InlineData(null, "numerique@exemple.fr", null, "numerique@exemple.fr", "numerique@exemple.fr")]
    public void Of_TrimsAndKeepsWhatIsGiven(string? name, string? email, string? expectedName, string? expectedEmail, string text)
    {
        var contact = CampaignContact.Of(name, email);

        Assert.Equal(new CampaignContact(expectedName, expectedEmail), contact);
        Assert.Equal(text, contact!.ToString());
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("  ", "")]
    public void Of_NothingGiven_IsNoContact(string? name, string? email)
    {
        Assert.Null(CampaignContact.Of(name, email));
        Assert.Null(CampaignContact.Problem(name, email));
    }

    [Theory]
    [InlineData("Mission", "numerique@", "L'adresse du contact « numerique@ » n'est pas une adresse électronique.")]
    [InlineData("Mission", "numé rique@exemple.fr", "L'adresse du contact « numé rique@exemple.fr » n'est pas une adresse électronique.")]
    [InlineData("Mission\tnumérique", null, "Le nom du contact contient un caractère de contrôle (U+0009, position 8) : il tient sur une ligne, sans caractère de contrôle.")]
    public void Problem_SaysWhatCannotBeStored_AndOfRefusesIt(string? name, string? email, string problem)
    {
        Assert.Equal(problem, CampaignContact.Problem(name, email));
        Assert.Equal(problem + " (Parameter 'name')", Assert.Throws<ArgumentException>(() => CampaignContact.Of(name, email)).Message);
    }

    [Fact]
    public void Problem_LongestNameAndAddress_AreAccepted_OneMoreIsNot()
    {
        var address = new string('a', 64) + "@" + new string('b', FieldLimits.Email - 65);

        Assert.Null(CampaignContact.Problem(new string('N', FieldLimits.Name), address));
        Assert.Equal("Le nom du contact dépasse 200 caractères (201).", CampaignContact.Problem(new string('N', FieldLimits.Name + 1), null));
        Assert.Equal($"L'adresse du contact « {address[..TextRules.QuotedLength]}… » n'est pas une adresse électronique.", CampaignContact.Problem(null, address + "b"));
    }
}
