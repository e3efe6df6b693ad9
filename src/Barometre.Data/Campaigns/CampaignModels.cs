using System.Collections.Concurrent;
using Barometre.Core.Model;
using Barometre.Data.Import;

namespace Barometre.Data.Campaigns;

/// <summary>
/// The maturity model of each campaign, parsed once from the text stored with it. A campaign's model
/// never changes, so the cache needs no invalidation; one cache serves one database.
/// </summary>
public sealed class CampaignModels
{
    private readonly ConcurrentDictionary<int, MaturityModel> _models = new();

    /// <summary>The model of a campaign, from the cache or parsed from <paramref name="loadSource"/>.</summary>
    public async Task<MaturityModel> GetAsync(int campaignId, Func<Task<string>> loadSource)
    {
        ArgumentNullException.ThrowIfNull(loadSource);
        if (_models.TryGetValue(campaignId, out var model))
        {
            return model;
        }
        model = Parse(await loadSource());
        return _models.GetOrAdd(campaignId, model);
    }

    /// <summary>Parses a stored model text (validated when the campaign was created).</summary>
    public static MaturityModel Parse(string source)
    {
        using var reader = new StringReader(source);
        return ModelFile.Read(reader, "référentiel de la campagne").GetValueOrThrow();
    }
}
