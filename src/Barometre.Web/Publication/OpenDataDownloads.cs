using System.Globalization;
using Barometre.Data.Export;
using Barometre.Data.Export.OpenData;
using Barometre.Data.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Barometre.Web.Publication;

/// <summary>
/// A published campaign's open data, the package <c>barometre export opendata</c> writes: <c>/resultats/{id}/donnees.zip</c>
/// and its parts, <c>/resultats/{id}/donnees/datapackage.json</c> and <c>/resultats/{id}/donnees/{table}.csv</c>. The
/// tables are built once per publication from the dashboard's own cached views, so they hide exactly what it hides.
/// </summary>
internal static class OpenDataDownloads
{
    private static readonly MemoryCacheEntryOptions Entry = new() { SlidingExpiration = TimeSpan.FromHours(6), Size = 1 };

    public static void MapOpenDataDownloads(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/resultats/{id:int}").AllowAnonymous().ExcludeFromDescription();
        group.MapGet("donnees.zip", async (int id, HttpContext context, PublishedResults published, SingleFlightCache cache, CancellationToken cancellationToken) =>
        {
            if (await LoadAsync(id, context, published, cache, cancellationToken) is not var (package, metadata))
            {
                return Results.NotFound();
            }
            using var buffer = new MemoryStream();
            package.WriteZip(buffer, metadata);
            return Results.File(buffer.ToArray(), "application/zip", package.Name(metadata) + ".zip");
        });
        group.MapGet("donnees/datapackage.json", async (int id, HttpContext context, PublishedResults published, SingleFlightCache cache, CancellationToken cancellationToken) =>
            await LoadAsync(id, context, published, cache, cancellationToken) is var (package, metadata)
                ? Results.Bytes(package.Descriptor(metadata), "application/json; charset=utf-8")
                : Results.NotFound());
        // A table also as French-Excel CSV or workbook (?format=csv-fr|xlsx), the same cells as in the package.
        group.MapGet("donnees/{table}.csv", async (int id, string table, string? format, HttpContext context, PublishedResults published, SingleFlightCache cache, CancellationToken cancellationToken) =>
        {
            if (TableDownloads.Parse(format) is not { } asked)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Format inconnu", detail: TableDownloads.UnknownFormat(format));
            }
            if (await LoadAsync(id, context, published, cache, cancellationToken) is not var (package, _) || package.Table(table) is not { } found)
            {
                return Results.NotFound();
            }
            return asked == TableFormat.Csv
                ? Results.File(found.Content, "text/csv; charset=utf-8", found.Path)
                : Results.File(found.Write(asked), asked.ContentType(), asked.FileName(found.Name));
        });
    }

    /// <summary>The package of a published campaign and what it says of itself, or null when the campaign is not published.</summary>
    private static async Task<(OpenDataPackage Package, OpenDataMetadata Metadata)?> LoadAsync(
        int id, HttpContext context, PublishedResults published, SingleFlightCache cache, CancellationToken cancellationToken)
    {
        if (await published.PanelAsync(id, cancellationToken) is not { } panel)
        {
            return null;
        }
        var campaign = panel.Campaign;
        var package = await cache.GetOrCreateAsync($"opendata:{campaign.Id}:{campaign.Version}", Entry,
            () => OpenDataPackage.BuildAsync(panel.Model, panel.Results.Parameters, panel.Plan, (filter, token) => published.ViewAsync(panel, filter, token)),
            cancellationToken);
        var db = context.RequestServices.GetRequiredService<BarometreDbContext>();
        var producer = await db.Campaigns.AsNoTracking().Where(c => c.Id == id).Select(c => c.ContactName).SingleOrDefaultAsync(cancellationToken);
        var request = context.Request;
        var metadata = new OpenDataMetadata
        {
            Campaign = (campaign.Id, campaign.Name),
            Created = DateTime.SpecifyKind(campaign.PublishedAt, DateTimeKind.Utc),
            Producer = string.IsNullOrWhiteSpace(producer) ? null : producer,
            Homepage = new Uri($"{request.Scheme}://{request.Host}/resultats/{campaign.Id.ToString(CultureInfo.InvariantCulture)}"),
        };
        context.Response.Headers.CacheControl = "public, max-age=60";
        return (package, metadata);
    }
}
