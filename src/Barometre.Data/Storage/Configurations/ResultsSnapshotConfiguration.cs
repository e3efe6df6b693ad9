using Barometre.Data.Campaigns;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Barometre.Data.Storage.Configurations;

internal sealed class ResultsSnapshotConfiguration : IEntityTypeConfiguration<ResultsSnapshot>
{
    public void Configure(EntityTypeBuilder<ResultsSnapshot> builder)
    {
        builder.HasKey(s => s.CampaignId);
        builder.HasOne<Campaign>().WithOne().HasForeignKey<ResultsSnapshot>(s => s.CampaignId).OnDelete(DeleteBehavior.Cascade);
    }
}
