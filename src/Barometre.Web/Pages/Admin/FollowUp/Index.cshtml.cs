using Barometre.Core;
using Barometre.Core.Model;
using Barometre.Data.Campaigns;
using Barometre.Data.Mail;
using Barometre.Web.Publication;
using Microsoft.AspNetCore.Mvc;

namespace Barometre.Web.Pages.Admin.FollowUp;

/// <summary>A campaign's follow-up: where each collectivité is, filtered by status or searched, paged.</summary>
[Security.OperatorAccess(OperatorRight.RunCampaign)]
public sealed class FollowUpModel(CampaignQueries queries, PreviousEditions previousEditions, MailOutbox outbox, TimeProvider clock) : CampaignPage(queries)
{
    /// <summary>Collectivités per page.</summary>
    public const int PageSize = 200;

    /// <summary>« non-commence », « en-cours », « transmis », « a-examiner », « sans-lien », « doutes », « reponses-recues » or nothing (all).</summary>
    [FromQuery(Name = "statut")]
    public string? Filter { get; set; }

    /// <summary>A code or part of a name.</summary>
    [FromQuery(Name = "q")]
    public string? Search { get; set; }

    [FromQuery(Name = "page")]
    public int PageNumber { get; set; } = 1;

    public MaturityModel Maturity { get; private set; } = null!;

    public IReadOnlyList<ParticipantProgress> All { get; private set; } = [];

    /// <summary>The rows of this page, after filter and search.</summary>
    public IReadOnlyList<ParticipantProgress> Rows { get; private set; } = [];

    /// <summary>How many rows the filter and search keep.</summary>
    public int Matching { get; private set; }

    public int PageCount => Math.Max(1, (Matching + PageSize - 1) / PageSize);

    public DateTime Now { get; private set; }

    /// <summary>The earlier edition the campaign follows, or null.</summary>
    public EarlierCampaign? Previous { get; private set; }

    /// <summary>
    /// The collectivités that answered both editions: in the earlier edition's frozen answers (matched by code), and
    /// having submitted or started this one; in panel order.
    /// </summary>
    public IReadOnlyList<ParticipantProgress> BothEditions { get; private set; } = [];

    /// <summary>Each collectivité's last message, by participant id.</summary>
    public IReadOnlyDictionary<int, ParticipantDelivery> Deliveries { get; private set; } = new Dictionary<int, ParticipantDelivery>();

    public int Count(ParticipantStatus status) => All.Count(p => p.Status == status);

    public int EvidenceToReview => All.Sum(p => p.EvidenceToReview);

    public int WithoutLink => All.Count(p => p.ActiveInvitation is null);

    /// <summary>The doubts about evidence in each state, over every collectivité.</summary>
    public DoubtCounts Doubts => new(All.Sum(p => p.Doubts.AwaitingReply), All.Sum(p => p.Doubts.Replied), All.Sum(p => p.Doubts.Lifted));

    /// <summary>« 2 en attente de réponse, 1 réponse reçue, 3 levés »: the states of doubts that have any.</summary>
    public static string DoubtsText(DoubtCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return string.Join(", ", new[]
        {
            counts.AwaitingReply > 0 ? $"{FrenchFormat.Count(counts.AwaitingReply)} en attente de réponse" : null,
            counts.Replied > 0 ? FrenchFormat.Plural(counts.Replied, "réponse reçue", "réponses reçues") : null,
            counts.Lifted > 0 ? FrenchFormat.Plural(counts.Lifted, "levé", "levés") : null,
        }.Where(part => part is not null));
    }

    /// <summary>The address of this page with another filter, search or page.</summary>
    public string Link(string? filter = "", string? search = "", int page = 1)
    {
        var query = new List<string>();
        filter = filter == "" ? Filter : filter;
        search = search == "" ? Search : search;
        if (!string.IsNullOrEmpty(filter))
        {
            query.Add("statut=" + Uri.EscapeDataString(filter));
        }
        if (!string.IsNullOrWhiteSpace(search))
        {
            query.Add("q=" + Uri.EscapeDataString(search.Trim()));
        }
        if (page > 1)
        {
            query.Add("page=" + page.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return CampaignPath + (query.Count == 0 ? "" : "?" + string.Join("&", query));
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadCampaignAsync(cancellationToken))
        {
            return NotFound();
        }
        ViewData["Tab"] = "suivi";
        Now = clock.GetUtcNow().UtcDateTime;
        Maturity = await Queries.ModelAsync(CampaignId, cancellationToken);
        All = await Queries.FollowUpAsync(CampaignId, cancellationToken);
        Deliveries = await outbox.DeliveriesAsync(CampaignId, cancellationToken);
        Previous = await previousEditions.OfAsync(CampaignId, Maturity, cancellationToken);
        if (Previous is { } previous)
        {
            BothEditions = [.. All.Where(p => p.Status != ParticipantStatus.NotStarted && previous.RowOf(p.Participant.Code) >= 0)];
        }
        IEnumerable<ParticipantProgress> rows = All;
        rows = Filter switch
        {
            "non-commence" => rows.Where(p => p.Status == ParticipantStatus.NotStarted),
            "en-cours" => rows.Where(p => p.Status == ParticipantStatus.InProgress),
            "transmis" => rows.Where(p => p.Status == ParticipantStatus.Submitted),
            "a-examiner" => rows.Where(p => p.EvidenceToReview > 0),
            "sans-lien" => rows.Where(p => p.ActiveInvitation is null),
            "doutes" => rows.Where(p => p.Doubts.Open > 0),
            "reponses-recues" => rows.Where(p => p.Doubts.Replied > 0),
            _ => rows,
        };
        if (Filter is not ("non-commence" or "en-cours" or "transmis" or "a-examiner" or "sans-lien" or "doutes" or "reponses-recues"))
        {
            Filter = null;
        }
        if (!string.IsNullOrWhiteSpace(Search))
        {
            var search = Search.Trim();
            var compare = System.Globalization.CultureInfo.InvariantCulture.CompareInfo;
            const System.Globalization.CompareOptions loose = System.Globalization.CompareOptions.IgnoreCase | System.Globalization.CompareOptions.IgnoreNonSpace;
            rows = rows.Where(p => p.Participant.Code.Contains(search, StringComparison.OrdinalIgnoreCase)
                || compare.IndexOf(p.Participant.Name, search, loose) >= 0);
        }
        var matching = rows.ToList();
        Matching = matching.Count;
        PageNumber = Math.Clamp(PageNumber, 1, PageCount);
        Rows = [.. matching.Skip((PageNumber - 1) * PageSize).Take(PageSize)];
        return Page();
    }

    /// <summary>The follow-up of every collectivité as CSV (or French-Excel CSV, or workbook), with its last message's delivery (<see cref="FollowUpCsv"/>).</summary>
    public async Task<IActionResult> OnGetCsvAsync(string? format, CancellationToken cancellationToken)
    {
        if (TableDownloads.Parse(format) is not { } table)
        {
            return BadRequest(TableDownloads.UnknownFormat(format));
        }
        if (!await LoadCampaignAsync(cancellationToken))
        {
            return NotFound();
        }
        var rows = await Queries.FollowUpAsync(CampaignId, cancellationToken);
        var deliveries = await outbox.DeliveriesAsync(CampaignId, cancellationToken);
        Response.Headers.CacheControl = "no-store";
        return TableDownloads.File(table, $"suivi-campagne-{CampaignId.ToString(System.Globalization.CultureInfo.InvariantCulture)}", buffer => FollowUpCsv.Write(buffer, rows, deliveries, table));
    }
}
