using Barometre.Data.Campaigns;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Barometre.Data.Storage.Configurations;

internal sealed class CampaignAssignmentConfiguration : IEntityTypeConfiguration<CampaignAssignment>
{
    public void Configure(EntityTypeBuilder<CampaignAssignment> builder)
    {
        builder.HasOne(a => a.Campaign).WithMany().HasForeignKey(a => a.CampaignId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<OperatorAccount>().WithMany().HasForeignKey(a => a.OperatorAccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ApiKey>().WithMany().HasForeignKey(a => a.ApiKeyId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => new { a.OperatorAccountId, a.CampaignId }).IsUnique();
        builder.HasIndex(a => new { a.ApiKeyId, a.CampaignId }).IsUnique();
        builder.ToTable(table => table.HasCheckConstraint(
            "CK_CampaignAssignments_OneHolder",
            "(\"OperatorAccountId\" IS NULL) <> (\"ApiKeyId\" IS NULL)"));
    }
}
