using System.Collections.Concurrent;
using Barometre.Core.Model;
using Barometre.Data.Import;
using Barometre.Data.Storage;
using Microsoft.EntityFrameworkCore;

namespace Barometre.Data.Campaigns;

/// <summary>
/// The maturity model of each campaign, parsed once from the text stored with it. A campaign's model
/// never changes, so the cache needs no invalidation; one cache serves one database.
/// </summary>
public sealed class CampaignModels
{
    private readonly ConcurrentDictionary<int, MaturityModel> _models = new();

    /// <summary>The model of a campaign, from the cache or parsed from the text stored with it in <paramref name="db"/>.</summary>
    public async Task<MaturityModel> GetAsync(BarometreDbContext db, int campaignId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (_models.TryGetValue(campaignId, out var model))
        {
            return model;
        }
        model = Parse(await db.Campaigns.Where(c => c.Id == campaignId).Select(c => c.ModelSource).SingleAsync(cancellationToken));
        return _models.GetOrAdd(campaignId, model);
    }

    /// <summary>Parses a stored model text (validated when the campaign was created).</summary>
    public static MaturityModel Parse(string source)
    {
        using var reader = new StringReader(source);
        return ModelFile.Read(reader, "référentiel de la campagne").GetValueOrThrow();
    }
}
