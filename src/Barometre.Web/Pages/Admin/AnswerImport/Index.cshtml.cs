using System.Globalization;
using Barometre.Core;
using Barometre.Core.Model;
using Barometre.Data.Campaigns;
using Barometre.Data.Export;
using Barometre.Data.Import;
using Microsoft.AspNetCore.Mvc;

namespace Barometre.Web.Pages.Admin.AnswerImport;

/// <summary>
/// Imports answers from the wide responses CSV (answers given on paper, or from another tool): every
/// problem listed, nothing imported unless the whole file is valid; empty cells leave answers as they are.
/// </summary>
[RequestSizeLimit(Uploads.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = Uploads.MaxRequestBytes)]
[Security.OperatorAccess(OperatorRight.RunCampaign)]
public sealed class AnswerImportModel(CampaignQueries queries, OperatorAnswers answers) : CampaignPage(queries)
{
    [BindProperty]
    public IFormFile? ResponsesUpload { get; set; }

    public MaturityModel Maturity { get; private set; } = null!;

    public string? Error { get; private set; }

    public ProblemList? FileProblems { get; private set; }

    /// <summary>Whether operators may still change the campaign's answers (<see cref="EditRule"/>): not once it is closed.</summary>
    public bool CanImport => EditRule.OperatorLockOf(Campaign.Status) is null;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : NotFound();

    /// <summary>The campaign's current answers (every collectivité) in the same format: a template to fill in.</summary>
    public async Task<IActionResult> OnGetTemplateAsync(string? format, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }
        if (TableDownloads.Parse(format) is not { } table)
        {
            return BadRequest(TableDownloads.UnknownFormat(format));
        }
        var responses = await Queries.ResponsesAsync(CampaignId, submittedOnly: false, cancellationToken);
        Response.Headers.CacheControl = "no-store";
        return TableDownloads.File(table, $"reponses-actuelles-campagne-{CampaignId.ToString(CultureInfo.InvariantCulture)}", buffer =>
        {
            if (table == TableFormat.Csv)
            {
                // The page's CSV has always carried a byte-order mark, for the spreadsheets that open it.
                buffer.Write(System.Text.Encoding.UTF8.Preamble);
            }
            ResponsesCsv.Write(responses, buffer, table);
        });
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }
        if (!CanImport)
        {
            Error = "La campagne est close : ses réponses sont figées.";
            return Page();
        }
        if (Uploads.Check(ResponsesUpload, "le fichier des réponses (CSV)") is { } error)
        {
            Error = error;
            return Page();
        }
        var source = Uploads.NameOf(ResponsesUpload!, "reponses.csv");
        var read = await Uploads.ReadBufferedAsync(ResponsesUpload!, stream => ResponsesCsv.Read(stream, source, Maturity), cancellationToken);
        if (read.Value is not { } responses)
        {
            FileProblems = new ProblemList(read.Problems, read.ProblemCount);
            return Page();
        }
        var (problems, changed) = await answers.ImportAsync(CampaignId, responses, source, Operator, cancellationToken);
        if (problems.Count > 0)
        {
            FileProblems = new ProblemList(problems, problems.Count);
            return Page();
        }
        Flash(changed == 0
            ? $"« {source} » lu ({FrenchFormat.Count(responses.Count)} collectivité(s)) : aucune réponse ne change."
            : $"« {source} » importé : {FrenchFormat.Count(changed)} réponse(s) modifiée(s) pour {FrenchFormat.Count(responses.Count)} collectivité(s). Chaque modification est tracée dans le journal.");
        return Redirect($"{CampaignPath}/reponses");
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (!await LoadCampaignAsync(cancellationToken))
        {
            return false;
        }
        ViewData["Tab"] = "reponses";
        Maturity = await Queries.ModelAsync(CampaignId, cancellationToken);
        return true;
    }
}
