using Barometre.Data.Campaigns;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Barometre.Data.Storage.Configurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.Property(a => a.Actor).HasMaxLength(FieldLimits.Actor);
        builder.Property(a => a.Action).HasMaxLength(FieldLimits.Action);
        builder.Property(a => a.Subject).HasMaxLength(FieldLimits.Actor);
        builder.HasIndex(a => new { a.CampaignId, a.At });
        builder.HasIndex(a => a.ParticipantId);
    }
}
