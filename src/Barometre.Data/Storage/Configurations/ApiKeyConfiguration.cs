using Barometre.Data.Campaigns;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Barometre.Data.Storage.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.Property(k => k.Name).HasMaxLength(FieldLimits.Name);
        builder.Property(k => k.KeyHash).HasMaxLength(FieldLimits.Hash);
        builder.HasIndex(k => k.KeyHash).IsUnique();
    }
}
