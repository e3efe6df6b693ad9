using Barometre.Data.Campaigns;

namespace Barometre.Web;

/// <summary>French labels of the app's states.</summary>
public static class Labels
{
    /// <summary>« Non commencé », « En cours », « Transmis ».</summary>
    public static string Status(ParticipantStatus status) => status switch
    {
        ParticipantStatus.Submitted => "Transmis",
        ParticipantStatus.InProgress => "En cours",
        _ => "Non commencé",
    };

    /// <summary>« Ouverte », « En relecture », « Close ».</summary>
    public static string Status(CampaignStatus status) => status switch
    {
        CampaignStatus.Open => "Ouverte",
        CampaignStatus.Review => "En relecture",
        _ => "Close",
    };
}
