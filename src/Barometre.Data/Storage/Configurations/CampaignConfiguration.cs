using Barometre.Data.Campaigns;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Barometre.Data.Storage.Configurations;

internal sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaign>
{
    public void Configure(EntityTypeBuilder<Campaign> builder)
    {
        builder.Property(c => c.Name).HasMaxLength(FieldLimits.Name);
        builder.Property(c => c.ModelId).HasMaxLength(FieldLimits.Name);
        builder.HasMany(c => c.Participants).WithOne(p => p.Campaign).HasForeignKey(p => p.CampaignId).OnDelete(DeleteBehavior.Cascade);
    }
}
