using Barometre.Data.Campaigns;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Barometre.Data.Storage.Configurations;

internal sealed class OperatorAuditEntryConfiguration : IEntityTypeConfiguration<OperatorAuditEntry>
{
    public void Configure(EntityTypeBuilder<OperatorAuditEntry> builder)
    {
        builder.ToTable("OperatorAudit");
        builder.Property(a => a.Actor).HasMaxLength(FieldLimits.Actor);
        builder.Property(a => a.Action).HasMaxLength(FieldLimits.Action);
        builder.Property(a => a.Subject).HasMaxLength(FieldLimits.Actor);
        builder.Property(a => a.OldValue).HasMaxLength(FieldLimits.AnswerText);
        builder.Property(a => a.NewValue).HasMaxLength(FieldLimits.AnswerText);
        builder.HasIndex(a => a.At);
    }
}
