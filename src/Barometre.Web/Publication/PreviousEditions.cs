using Barometre.Core.Evolution;
using Barometre.Core.Model;
using Barometre.Core.Responses;
using Barometre.Core.Results;
using Barometre.Data.Campaigns;
using Barometre.Data.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Barometre.Web.Publication;

/// <summary>
/// The earlier edition a campaign follows, as it was frozen: its answers and results (<see cref="FrozenResults"/>) and
/// how the campaign's model continues its model (<see cref="EditionMapping"/>). Collectivités are matched by code.
/// </summary>
public sealed class EarlierCampaign
{
    private readonly Dictionary<string, int> _rows;

    internal EarlierCampaign(int campaignId, string name, int threshold, DateTime? publishedAt, FrozenResults frozen, EditionMapping mapping)
    {
        CampaignId = campaignId;
        Name = name;
        Threshold = threshold;
        PublishedAt = publishedAt;
        Frozen = frozen;
        Mapping = mapping;
        _rows = new Dictionary<string, int>(frozen.Responses.Count, StringComparer.Ordinal);
        for (var r = 0; r < frozen.Responses.Count; r++)
        {
            _rows.TryAdd(frozen.Responses.Respondents[r].Code, r);
        }
    }

    /// <summary>The earlier campaign.</summary>
    public int CampaignId { get; }

    /// <summary>The earlier campaign's name.</summary>
    public string Name { get; }

    /// <summary>The earlier campaign's secrecy threshold, which <see cref="FrozenResults.Plan"/> applies.</summary>
    public int Threshold { get; }

    /// <summary>When the earlier campaign's results were published; null while they are not public.</summary>
    public DateTime? PublishedAt { get; }

    /// <summary>The earlier campaign's frozen answers (submitted questionnaires at its closing) and results.</summary>
    public FrozenResults Frozen { get; }

    /// <summary>How the later model continues the earlier one.</summary>
    public EditionMapping Mapping { get; }

    /// <summary>How the earlier edition is named to readers: its model's edition (« 2019 »), else its campaign's name.</summary>
    public string Label => string.IsNullOrWhiteSpace(Mapping.Earlier.Edition) ? Name : Mapping.Earlier.Edition;

    /// <summary>« En 2019 » (its model's edition), else « Lors de « Baromètre 2019 » » (its campaign's name): what introduces an earlier figure.</summary>
    public string When => string.IsNullOrWhiteSpace(Mapping.Earlier.Edition) ? $"Lors de « {Name} »" : $"En {Mapping.Earlier.Edition}";

    /// <summary>The codes of the collectivités whose questionnaire the earlier edition froze.</summary>
    public IReadOnlyCollection<string> Codes => _rows.Keys;

    /// <summary>The earlier row of a collectivité, by its code; −1 when it did not answer the earlier edition.</summary>
    public int RowOf(string code) => _rows.GetValueOrDefault(code, -1);

    /// <summary>
    /// A collectivité's own progress since the earlier edition: its global index and segment then (the earlier edition's
    /// frozen results) and now (<paramref name="now"/>), and its score on each comparable theme then — the earlier
    /// theme's score as <see cref="ThemeComparison.EarlierScore"/> defines it — and now. Null when the collectivité's
    /// questionnaire was not in the earlier edition.
    /// </summary>
    /// <param name="now">Its scores in the later edition.</param>
    public CollectiviteChange? ProgressOf(RespondentScore now)
    {
        ArgumentNullException.ThrowIfNull(now);
        var row = RowOf(now.Code);
        if (row < 0)
        {
            return null;
        }
        var then = Frozen.Results.Scores.FirstOrDefault(s => s.Code == now.Code);
        var earlierRow = Frozen.Responses.Row(row);
        var themes = new List<ThemeValueChange>();
        foreach (var theme in Mapping.Themes.Where(t => t.IsComparable))
        {
            var before = theme.EarlierScore(earlierRow);
            themes.Add(new ThemeValueChange(theme.Theme.Id, new ValueChange(double.IsNaN(before) ? null : before, now.Themes.GetValueOrDefault(theme.Theme.Id))));
        }
        return new CollectiviteChange(now.Code, now.Nom, new ValueChange(then?.Index, now.Index), then?.Segment, now.Segment, themes);
    }

    /// <summary>
    /// A collectivité's earlier answer to the earlier question a later question continues (read-only): null when the
    /// question continues none, or the collectivité has no frozen answer to it.
    /// </summary>
    /// <param name="code">The collectivité's code.</param>
    /// <param name="laterQuestionId">The question in the later model.</param>
    public EarlierAnswer? AnswerOf(string code, string laterQuestionId)
    {
        var row = RowOf(code);
        var question = Mapping.Later.IndexOfQuestion(laterQuestionId);
        if (row < 0 || question < 0 || Mapping.Questions[question] is not { EarlierQuestion: { } earlier } comparison)
        {
            return null;
        }
        var cell = Frozen.Responses[row, comparison.EarlierIndex];
        if (cell == CellCode.Blank)
        {
            return null;
        }
        int? level = CellCode.IsLevel(cell) ? cell : null;
        var mark = level is not null ? AnswerMark.None : cell == CellCode.DontKnow ? AnswerMark.DontKnow : AnswerMark.NotConcerned;
        return new EarlierAnswer(
            earlier.Id,
            level,
            mark,
            level is { } l ? Mapping.Earlier.Scale.LabelOf(l) : AnswerMarks.Label(mark)!,
            level is { } translated && comparison.IsComparable && Mapping.TranslatesLevels ? Mapping.TranslateLevel(translated) : null);
    }
}

/// <summary>A collectivité's answer in the earlier edition to the question a later question continues.</summary>
/// <param name="QuestionId">The earlier question's id.</param>
/// <param name="Level">The earlier level, null for NSP or NC.</param>
/// <param name="Mark">NSP or NC when the earlier answer was one, else none.</param>
/// <param name="Label">The earlier level's label in the earlier model, « Ne sait pas » or « Non concerné ».</param>
/// <param name="LaterLevel">The level it stands for on the later scale when the lineage translates levels; null otherwise.</param>
public sealed record EarlierAnswer(string QuestionId, int? Level, AnswerMark Mark, string Label, int? LaterLevel);

/// <summary>
/// Finds the earlier edition of a campaign (<see cref="Campaign.PreviousCampaignId"/>), decoded once per snapshot through
/// <see cref="FrozenSnapshots"/> and kept with its mapping and its index of codes.
/// </summary>
public sealed class PreviousEditions(IServiceScopeFactory scopes, FrozenSnapshots snapshots, SingleFlightCache cache)
{
    private static readonly MemoryCacheEntryOptions Entry = new() { SlidingExpiration = TimeSpan.FromHours(6), Size = 1 };

    /// <summary>The earlier edition the campaign follows, or null when it follows none.</summary>
    /// <param name="campaignId">The later campaign.</param>
    /// <param name="model">The later campaign's model.</param>
    /// <param name="cancellationToken">Cancels.</param>
    public async Task<EarlierCampaign?> OfAsync(int campaignId, MaturityModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BarometreDbContext>();
        // One query: the earlier campaign, what its decoded snapshot is keyed by, and whether it is public.
        var previous = await db.Campaigns.AsNoTracking()
            .Where(c => c.Id == campaignId && c.PreviousCampaignId != null)
            .Select(c => new
            {
                Id = c.PreviousCampaign!.Id, c.PreviousCampaign.Name, c.PreviousCampaign.SecrecyThreshold, c.PreviousCampaign.PublishedAt,
                ComputedAt = db.ResultsSnapshots.Where(s => s.CampaignId == c.PreviousCampaignId).Select(s => (DateTime?)s.ComputedAt).FirstOrDefault(),
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (previous?.ComputedAt is not { } computedAt)
        {
            return null;
        }
        var frozen = await snapshots.GetAsync(previous.Id, computedAt, previous.SecrecyThreshold, cancellationToken);
        return await cache.GetOrCreateAsync($"previous:{campaignId}:{previous.Id}:{computedAt.Ticks}:{previous.SecrecyThreshold}:{previous.PublishedAt?.Ticks}", Entry,
            () => Task.FromResult(new EarlierCampaign(previous.Id, previous.Name, previous.SecrecyThreshold, previous.PublishedAt, frozen, new EditionMapping(frozen.Responses.Model, model))),
            cancellationToken);
    }
}
