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
        builder.Property(c => c.ContactName).HasMaxLength(FieldLimits.Name);
        builder.Property(c => c.ContactEmail).HasMaxLength(FieldLimits.Email);
        // Campaigns made before retention periods existed get the default period, not 0 (which would erase at once).
        builder.Property(c => c.RetentionMonths).HasDefaultValue(Privacy.PersonalData.DefaultRetentionMonths);
        builder.HasMany(c => c.Participants).WithOne(p => p.Campaign).HasForeignKey(p => p.CampaignId).OnDelete(DeleteBehavior.Cascade);
        // An edition that others follow stays: deleting it would leave their evolution without its start.
        builder.HasOne(c => c.PreviousCampaign).WithMany().HasForeignKey(c => c.PreviousCampaignId).OnDelete(DeleteBehavior.Restrict);
    }
}
