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
        builder.HasIndex(o => o.Email).IsUnique();
    }
}
