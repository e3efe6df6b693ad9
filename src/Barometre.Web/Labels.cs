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

    /// <summary>« En attente de réponse », « Réponse reçue », « Levé », or « — » for no doubt: where an operator's doubt about an answer's evidence stands.</summary>
    public static string Doubt(DoubtState state) => state switch
    {
        DoubtState.AwaitingReply => "En attente de réponse",
        DoubtState.Replied => "Réponse reçue",
        DoubtState.Lifted => "Levé",
        _ => "—",
    };
}
