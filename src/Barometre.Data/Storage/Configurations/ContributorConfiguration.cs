using Barometre.Data.Campaigns;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Barometre.Data.Storage.Configurations;

internal sealed class ContributorConfiguration : IEntityTypeConfiguration<Contributor>
{
    public void Configure(EntityTypeBuilder<Contributor> builder)
    {
        builder.Property(c => c.Name).HasMaxLength(FieldLimits.Name);
        builder.Property(c => c.Email).HasMaxLength(FieldLimits.Email);
        builder.HasIndex(c => new { c.ParticipantId, c.Name }).IsUnique();
    }
}
