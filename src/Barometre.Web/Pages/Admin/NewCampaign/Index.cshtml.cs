using Barometre.Core;
using Barometre.Core.Model;
using Barometre.Data.Campaigns;
using Barometre.Data.Import;
using Microsoft.AspNetCore.Mvc;

namespace Barometre.Web.Pages.Admin.NewCampaign;

/// <summary>
/// Creates a campaign from a name, a model (shipped or uploaded) and a panel file. Both files are
/// checked first and every problem is listed; nothing is created unless both are valid. A campaign may follow a
/// closed one (« Édition précédente ») whose model its model follows, and take over its panel.
/// </summary>
[RequestSizeLimit(Uploads.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = Uploads.MaxRequestBytes)]
[Security.OperatorAccess(OperatorRight.Administer)]
public sealed class NewCampaignModel(CampaignLifecycle lifecycle, CampaignQueries queries) : AdminPage
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

    /// <summary>Whom the collectivités ask about the campaign: a person or a service (optional).</summary>
    [BindProperty]
    public string? ContactName { get; set; }

    /// <summary>The address the collectivités write to about the campaign (optional).</summary>
    [BindProperty]
    public string? ContactEmail { get; set; }

    /// <summary>Months after closing that the campaign's personal data are kept (<see cref="Data.Privacy.PersonalData"/>).</summary>
    [BindProperty]
    public int? RetentionMonths { get; set; } = Data.Privacy.PersonalData.DefaultRetentionMonths;

    /// <summary>The closed campaign this one follows (its earlier edition), or null for a first edition.</summary>
    [BindProperty]
    public int? PreviousCampaignId { get; set; }

    /// <summary>Whether the panel is the earlier edition's (same collectivités, by code) instead of a file.</summary>
    [BindProperty]
    public bool ReusePanel { get; set; }

    /// <summary>The closed campaigns a new one may follow, most recent first.</summary>
    public IReadOnlyList<Campaign> ClosedCampaigns { get; private set; } = [];

    public IReadOnlyList<string> ShippedIds => ShippedModels.Ids;

    /// <summary>Problems of the form itself (name, missing files).</summary>
    public List<string> Errors { get; } = [];

    public ProblemList? ModelProblems { get; private set; }

    public ProblemList? PanelProblems { get; private set; }

    public bool HasProblems => Errors.Count > 0 || ModelProblems is not null || PanelProblems is not null;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        ShippedModel ??= ShippedIds.Count > 0 ? ShippedIds[0] : null;
        await LoadClosedCampaignsAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await LoadClosedCampaignsAsync(cancellationToken);
        if (CampaignLifecycle.NameProblem(Name) is { } problem)
        {
            Errors.Add(problem);
        }
        if (CampaignContact.Problem(ContactName, ContactEmail) is { } contactProblem)
        {
            Errors.Add(contactProblem);
        }
        if (Data.Privacy.PersonalData.RetentionProblem(RetentionMonths) is { } retentionProblem)
        {
            Errors.Add(retentionProblem);
        }
        if (ReusePanel && PreviousCampaignId is null)
        {
            Errors.Add("Choisissez l'édition précédente dont le panel doit être repris, ou déposez un fichier de panel.");
        }

        var (modelText, model) = await ReadModelAsync(cancellationToken);
        var panel = ReusePanel ? await PreviousPanelAsync(cancellationToken) : await ReadPanelAsync(cancellationToken);
        if (PreviousCampaignId is { } previous && modelText is not null
            && await lifecycle.FollowProblemAsync(previous, new ModelText(modelText, ModelSourceName), cancellationToken) is { } followProblem)
        {
            Errors.Add(followProblem);
        }
        if (HasProblems || model is null || panel is null)
        {
            return Page();
        }
        var campaign = await lifecycle.CreateAsync(Name!, modelText!, model, panel, Operator, PreviousCampaignId, CampaignContact.Of(ContactName, ContactEmail), RetentionMonths, cancellationToken);
        var follows = PreviousCampaignId is null ? "" : $", à la suite de « {ClosedCampaigns.First(c => c.Id == PreviousCampaignId).Name} »";
        Flash($"La campagne « {campaign.Name} » est créée avec {FrenchFormat.Count(panel.Count)} collectivités{follows}. Émettez maintenant les liens d'invitation.");
        return Redirect($"/admin/campagnes/{campaign.Id}");
    }

    /// <summary>The name the model file's problems give it (the uploaded file's, or the shipped model's), once read.</summary>
    private string ModelSourceName { get; set; } = "référentiel";

    private async Task LoadClosedCampaignsAsync(CancellationToken cancellationToken) =>
        ClosedCampaigns = [.. (await queries.ListAsync(cancellationToken)).Where(c => c.Status == CampaignStatus.Closed)];

    private async Task<IReadOnlyList<PanelEntry>?> PreviousPanelAsync(CancellationToken cancellationToken)
    {
        if (PreviousCampaignId is not { } previous)
        {
            return null;
        }
        var panel = await queries.PanelAsync(previous, cancellationToken);
        if (panel.Count == 0)
        {
            Errors.Add("Le panel de l'édition précédente est vide : déposez un fichier de panel.");
            return null;
        }
        return panel;
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
            ModelSourceName = Uploads.NameOf(ModelUpload!, "référentiel");
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
            ModelSourceName = shipped.Source;
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
