using System.Globalization;
using Barometre.Data.Campaigns;
using Microsoft.AspNetCore.Mvc;

namespace Barometre.Web.Pages.Admin.Journal;

/// <summary>A campaign's audit trail (or one collectivité's), most recent first, paged.</summary>
[Security.OperatorAccess(OperatorRight.RunCampaign)]
public sealed class JournalModel(CampaignQueries queries) : CampaignPage(queries)
{
    /// <summary>Entries per page.</summary>
    public const int PageSize = 200;

    [FromQuery(Name = "page")]
    public int PageNumber { get; set; } = 1;

    /// <summary>A collectivité of the campaign, to see its entries only.</summary>
    [FromQuery(Name = "collectivite")]
    public int? ParticipantId { get; set; }

    public Participant? Participant { get; private set; }

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public int Total { get; private set; }

    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public string Link(int page)
    {
        var query = new List<string>();
        if (ParticipantId is { } id)
        {
            query.Add("collectivite=" + id.ToString(CultureInfo.InvariantCulture));
        }
        if (page > 1)
        {
            query.Add("page=" + page.ToString(CultureInfo.InvariantCulture));
        }
        return $"{CampaignPath}/journal" + (query.Count == 0 ? "" : "?" + string.Join("&", query));
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadCampaignAsync(cancellationToken))
        {
            return NotFound();
        }
        ViewData["Tab"] = "journal";
        if (ParticipantId is { } participantId)
        {
            if (await Queries.ParticipantAsync(participantId, cancellationToken) is not { } found || found.Progress.Participant.CampaignId != CampaignId)
            {
                return NotFound();
            }
            Participant = found.Progress.Participant;
        }
        PageNumber = Math.Max(1, PageNumber);
        (Entries, Total) = await Queries.AuditPageAsync(CampaignId, ParticipantId, (PageNumber - 1) * PageSize, PageSize, cancellationToken);
        if (PageNumber > PageCount)
        {
            PageNumber = PageCount;
            (Entries, Total) = await Queries.AuditPageAsync(CampaignId, ParticipantId, (PageNumber - 1) * PageSize, PageSize, cancellationToken);
        }
        return Page();
    }
}
