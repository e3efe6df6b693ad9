using Barometre.Data.Campaigns;

namespace Barometre.Data.Tests.Campaigns;

/// <summary>The access rules of <see cref="OperatorPrincipal"/>: every role × right, on a campaign given, not given, and none.</summary>
public sealed class OperatorAccessTest
{
    private const int Given = 7;
    private const int Other = 8;

    [Theory]
    // role, right, campaign (0: none), allowed
    [InlineData(OperatorRole.Administrator, OperatorRight.Administer, 0, true)]
    [InlineData(OperatorRole.Administrator, OperatorRight.RunCampaign, Other, true)]
    [InlineData(OperatorRole.Administrator, OperatorRight.ReadResults, Other, true)]
    [InlineData(OperatorRole.CampaignManager, OperatorRight.Administer, 0, false)]
    [InlineData(OperatorRole.CampaignManager, OperatorRight.Administer, Given, false)]
    [InlineData(OperatorRole.CampaignManager, OperatorRight.RunCampaign, Given, true)]
    [InlineData(OperatorRole.CampaignManager, OperatorRight.ReadResults, Given, true)]
    [InlineData(OperatorRole.CampaignManager, OperatorRight.RunCampaign, Other, false)]
    [InlineData(OperatorRole.CampaignManager, OperatorRight.ReadResults, Other, false)]
    [InlineData(OperatorRole.Analyst, OperatorRight.Administer, 0, false)]
    [InlineData(OperatorRole.Analyst, OperatorRight.RunCampaign, Given, false)]
    [InlineData(OperatorRole.Analyst, OperatorRight.ReadResults, Given, true)]
    [InlineData(OperatorRole.Analyst, OperatorRight.RunCampaign, Other, false)]
    [InlineData(OperatorRole.Analyst, OperatorRight.ReadResults, Other, false)]
    public void May_FollowsTheRoleAndTheCampaignsGiven(OperatorRole role, OperatorRight right, int campaign, bool allowed)
    {
        var principal = new OperatorPrincipal(role, new HashSet<int> { Given });

        var may = principal.May(right, campaign == 0 ? null : campaign);
        var refusal = principal.Refusal(right, campaign == 0 ? null : campaign);

        Assert.Equal(allowed, may);
        Assert.Equal(allowed, refusal is null);
        Assert.Equal(role == OperatorRole.Administrator || campaign == Given, principal.Sees(campaign));
    }

    [Fact]
    public void Refusal_SaysWhyInFrench_ACampaignNotGivenTheSameWhetherOrNotItExists()
    {
        var analyst = new OperatorPrincipal(OperatorRole.Analyst, new HashSet<int> { Given });
        var manager = new OperatorPrincipal(OperatorRole.CampaignManager, new HashSet<int>());

        Assert.StartsWith("Cette page est réservée aux administrateurs", analyst.Refusal(OperatorRight.Administer), StringComparison.Ordinal);
        Assert.StartsWith("Votre rôle d'analyste ouvre les résultats agrégés", analyst.Refusal(OperatorRight.RunCampaign, Given), StringComparison.Ordinal);
        Assert.Equal("Cette campagne ne vous est pas confiée : demandez à un administrateur de vous la confier.", manager.Refusal(OperatorRight.RunCampaign, Other));
        Assert.Equal(manager.Refusal(OperatorRight.RunCampaign, Other), manager.Refusal(OperatorRight.RunCampaign, int.MaxValue));
    }

    [Theory]
    [InlineData("administrateur", OperatorRole.Administrator)]
    [InlineData(" Gestionnaire ", OperatorRole.CampaignManager)]
    [InlineData("ANALYSTE", OperatorRole.Analyst)]
    [InlineData("admin", null)]
    [InlineData(null, null)]
    public void Parse_TakesTheRolesOneWordNames(string? name, OperatorRole? role)
    {
        Assert.Equal(role, OperatorRoles.Parse(name));
        Assert.Equal("« chef » n'est pas un rôle : administrateur, gestionnaire, analyste.", OperatorRoles.Unknown("chef"));
    }
}
