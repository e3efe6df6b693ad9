using Barometre.Data.Campaigns;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Barometre.Data.Storage.Configurations;

internal sealed class BenchmarkReleaseConfiguration : IEntityTypeConfiguration<BenchmarkRelease>
{
    public void Configure(EntityTypeBuilder<BenchmarkRelease> builder)
    {
        // Two instances releasing at once: the second insert of the same number fails and reads the first's.
        builder.HasIndex(r => new { r.CampaignId, r.Number }).IsUnique();
        builder.HasOne<Campaign>().WithMany().HasForeignKey(r => r.CampaignId).OnDelete(DeleteBehavior.Cascade);
    }
}
