using Barometre.Data.Campaigns;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Barometre.Data.Storage.Configurations;

internal sealed class ParticipantConfiguration : IEntityTypeConfiguration<Participant>
{
    public void Configure(EntityTypeBuilder<Participant> builder)
    {
        builder.Property(p => p.Code).HasMaxLength(FieldLimits.Code);
        builder.Property(p => p.Name).HasMaxLength(FieldLimits.CollectiviteName);
        builder.Property(p => p.Type).HasMaxLength(FieldLimits.Name);
        builder.Property(p => p.Region).HasMaxLength(FieldLimits.Name);
        builder.Property(p => p.Email).HasMaxLength(FieldLimits.Email);
        builder.Property(p => p.SubmittedBy).HasMaxLength(FieldLimits.Actor);
        builder.HasIndex(p => new { p.CampaignId, p.Code }).IsUnique();
        builder.HasMany(p => p.Answers).WithOne(a => a.Participant).HasForeignKey(a => a.ParticipantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(p => p.Contributors).WithOne(c => c.Participant).HasForeignKey(c => c.ParticipantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(p => p.Invitations).WithOne(i => i.Participant).HasForeignKey(i => i.ParticipantId).OnDelete(DeleteBehavior.Cascade);
    }
}
