using Barometre.Core;
using Barometre.Core.Model;
using Barometre.Data.Campaigns;
using Barometre.Data.Import;
using Microsoft.AspNetCore.Mvc;

namespace Barometre.Web.Pages.Admin.NewCampaign;

/// <summary>
/// Creates a campaign from a name, a model (shipped or uploaded) and a panel file. Both files are
/// checked first and every problem is listed; nothing is created unless both are valid.
/// </summary>
[RequestSizeLimit(Uploads.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = Uploads.MaxRequestBytes)]
public sealed class NewCampaignModel(CampaignLifecycle lifecycle) : AdminPage
{
    [BindProperty]
    public string? Name { get; set; }

    /// <summary>« shipped » (a model shipped with Baromètre) or « file » (uploaded).</summary>
    [BindProperty]
    public string ModelSource { get; set; } = "shipped";

    [BindProperty]
    public string? ShippedModel { get; set; }

    [BindProperty]
    public IFormFile? ModelUpload { get; set; }

    [BindProperty]
    public IFormFile? PanelUpload { get; set; }

    public IReadOnlyList<string> ShippedIds => ShippedModels.Ids;

    /// <summary>Problems of the form itself (name, missing files).</summary>
    public List<string> Errors { get; } = [];

    public ProblemList? ModelProblems { get; private set; }

    public ProblemList? PanelProblems { get; private set; }

    public bool HasProblems => Errors.Count > 0 || ModelProblems is not null || PanelProblems is not null;

    public void OnGet()
    {
        ShippedModel ??= ShippedIds.Count > 0 ? ShippedIds[0] : null;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (CampaignLifecycle.NameProblem(Name) is { } problem)
        {
            Errors.Add(problem);
        }

        var (modelText, model) = await ReadModelAsync(cancellationToken);
        var panel = await ReadPanelAsync(cancellationToken);
        if (HasProblems || model is null || panel is null)
        {
            return Page();
        }
        var campaign = await lifecycle.CreateAsync(Name!, modelText!, model, panel, Operator, cancellationToken: cancellationToken);
        Flash($"La campagne « {campaign.Name} » est créée avec {FrenchFormat.Count(panel.Count)} collectivités. Émettez maintenant les liens d'invitation.");
        return Redirect($"/admin/campagnes/{campaign.Id}");
    }

    private async Task<(string? Text, MaturityModel? Model)> ReadModelAsync(CancellationToken cancellationToken)
    {
        ImportResult<MaturityModel> result;
        string text;
        if (ModelSource == "file")
        {
            if (Uploads.Check(ModelUpload, "le fichier du référentiel (YAML ou JSON)") is { } error)
            {
                Errors.Add(error);
                return (null, null);
            }
            (text, result) = await Uploads.ReadModelAsync(ModelUpload!, cancellationToken);
        }
        else
        {
            if (ShippedModel is null || !ShippedIds.Contains(ShippedModel, StringComparer.Ordinal)
                || ModelFile.ReadText(ShippedModel).Value is not { } shipped)
            {
                Errors.Add("Choisissez l'un des référentiels fournis, ou déposez un fichier.");
                return (null, null);
            }
            text = shipped.Text;
            using var reader = new StringReader(text);
            result = ModelFile.Read(reader, shipped.Source);
        }
        if (result.Value is { } model)
        {
            return (text, model);
        }
        ModelProblems = new ProblemList(result.Problems, result.ProblemCount);
        return (null, null);
    }

    private async Task<IReadOnlyList<PanelEntry>?> ReadPanelAsync(CancellationToken cancellationToken)
    {
        if (Uploads.Check(PanelUpload, "le fichier du panel (CSV)") is { } error)
        {
            Errors.Add(error);
            return null;
        }
        var source = Uploads.NameOf(PanelUpload!, "panel.csv");
        var result = await Uploads.ReadBufferedAsync(PanelUpload!, stream => PanelCsv.Read(stream, source), cancellationToken);
        if (result.Value is not { } panel)
        {
            PanelProblems = new ProblemList(result.Problems, result.ProblemCount);
            return null;
        }
        if (panel.Count == 0)
        {
            Errors.Add($"Le fichier « {source} » ne contient aucune collectivité : une ligne par collectivité après la ligne des noms de colonnes.");
            return null;
        }
        return panel;
    }
}
