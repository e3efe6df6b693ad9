using Barometre.Data.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Barometre.Data.Storage.Configurations;

internal sealed class SenderLeaseConfiguration : IEntityTypeConfiguration<SenderLease>
{
    public void Configure(EntityTypeBuilder<SenderLease> builder)
    {
        builder.HasKey(l => l.Name);
        builder.Property(l => l.Name).HasMaxLength(FieldLimits.Action);
        builder.Property(l => l.Holder).HasMaxLength(FieldLimits.Name);
        // The row exists from the migration on, so that taking the lease is always one UPDATE.
        builder.HasData(new SenderLease { Name = SenderLease.Mail, Holder = null, ExpiresAt = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc) });
    }
}
