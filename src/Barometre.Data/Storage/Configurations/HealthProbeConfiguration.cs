using Barometre.Data.Campaigns;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Barometre.Data.Storage.Configurations;

internal sealed class HealthProbeConfiguration : IEntityTypeConfiguration<HealthProbe>
{
    public void Configure(EntityTypeBuilder<HealthProbe> builder)
    {
        builder.HasKey(p => p.Instance);
        builder.Property(p => p.Instance).HasMaxLength(FieldLimits.Name);
    }
}
