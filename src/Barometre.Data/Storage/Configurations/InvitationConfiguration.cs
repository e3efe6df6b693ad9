using Barometre.Data.Campaigns;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Barometre.Data.Storage.Configurations;

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> builder)
    {
        builder.Property(i => i.TokenHash).HasMaxLength(FieldLimits.Hash);
        builder.HasIndex(i => i.TokenHash).IsUnique();
        builder.Property(i => i.ProtectedToken).HasMaxLength(FieldLimits.ProtectedToken);
    }
}
