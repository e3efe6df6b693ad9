using Barometre.Data.Campaigns;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Barometre.Data.Storage.Configurations;

internal sealed class OperatorAccountConfiguration : IEntityTypeConfiguration<OperatorAccount>
{
    public void Configure(EntityTypeBuilder<OperatorAccount> builder)
    {
        builder.ToTable("Operators");
        builder.Property(o => o.Email).HasMaxLength(FieldLimits.Email);
        builder.Property(o => o.SecurityStamp).HasMaxLength(FieldLimits.Hash);
        builder.Property(o => o.GivenName).HasMaxLength(FieldLimits.Name);
        builder.Property(o => o.FamilyName).HasMaxLength(FieldLimits.Name);
        builder.Property(o => o.ExternalIssuer).HasMaxLength(FieldLimits.Url);
        builder.Property(o => o.ExternalSubject).HasMaxLength(FieldLimits.Name);
        builder.Property(o => o.InvitationHash).HasMaxLength(FieldLimits.Hash);
        builder.HasIndex(o => o.Email).IsUnique();
        builder.HasIndex(o => new { o.ExternalIssuer, o.ExternalSubject }).IsUnique();
        builder.HasIndex(o => o.InvitationHash).IsUnique();
    }
}
