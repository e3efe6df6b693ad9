using System.Text;
using Barometre.Data.Export;
using Barometre.Reports;
using Barometre.Web.Publication;
using Microsoft.AspNetCore.Mvc;

namespace Barometre.Web.Pages.Questionnaire;

/// <summary>
/// A collectivité's benchmark, from its invitation link: once submitted, where it stands against the
/// panel, its type and its population band, its segment and its next steps; its report and its answers
/// to download.
/// </summary>
public sealed class BenchmarkModel(Data.Campaigns.Questionnaire questionnaire, RespondentBenchmarks benchmarks, PreviousEditions previousEditions) : QuestionnairePage(questionnaire)
{
    public BenchmarkOutcome Outcome { get; private set; } = null!;

    /// <summary>The earlier edition the campaign follows, or null.</summary>
    public EarlierCampaign? Previous { get; private set; }

    /// <summary>The collectivité's own progress since the earlier edition; null when it follows none or the collectivité did not answer it.</summary>
    public Core.Evolution.CollectiviteChange? Progress { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return UnknownLink();
        }
        Outcome = await benchmarks.ForAsync(Access, cancellationToken);
        if (Outcome.Data is { } data && await previousEditions.OfAsync(Access.CampaignId, Access.Model, cancellationToken) is { } previous)
        {
            Previous = previous;
            Progress = previous.ProgressOf(data.Score);
        }
        return Page();
    }

    /// <summary>The collectivité's confidential report, one self-contained HTML file.</summary>
    public async Task<IActionResult> OnGetReportAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return UnknownLink();
        }
        Outcome = await benchmarks.ForAsync(Access, cancellationToken);
        if (Outcome.Data is not { } data)
        {
            return Page();
        }
        string html;
        await using (var renderer = new ReportRenderer())
        {
            html = await renderer.RenderIndividualAsync(data);
        }
        return File(Encoding.UTF8.GetBytes(html), "text/html; charset=utf-8", $"rapport-{FileName(Access.Code)}.html");
    }

    /// <summary>The collectivité's own answers (available whether or not it has a benchmark).</summary>
    public async Task<IActionResult> OnGetAnswersAsync(string? format, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return UnknownLink();
        }
        if (TableDownloads.Parse(format) is not { } table)
        {
            return BadRequest(TableDownloads.UnknownFormat(format));
        }
        return TableDownloads.File(table, $"reponses-{FileName(Access.Code)}", buffer => AnswerSheetCsv.Write(Access.Model, Answers, buffer, table));
    }

    private static string FileName(string code)
    {
        var name = new string([.. code.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_').Select(char.ToLowerInvariant)]);
        return name.Length > 0 ? name : "collectivite";
    }
}
