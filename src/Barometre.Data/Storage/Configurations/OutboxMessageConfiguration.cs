using Barometre.Data.Campaigns;
using Barometre.Data.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Barometre.Data.Storage.Configurations;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("Outbox");
        // Two senders queueing the same message: the second insert fails, so nobody gets it twice.
        builder.HasIndex(m => new { m.CampaignId, m.ParticipantId, m.Kind, m.Sequence }).IsUnique();
        builder.HasIndex(m => new { m.Status, m.Id });
        builder.HasIndex(m => m.MessageId);
        builder.Property(m => m.Address).HasMaxLength(FieldLimits.Email);
        builder.Property(m => m.SiteUrl).HasMaxLength(FieldLimits.Url);
        builder.Property(m => m.QueuedBy).HasMaxLength(FieldLimits.Actor);
        builder.Property(m => m.Reply).HasMaxLength(FieldLimits.MailReply);
        builder.Property(m => m.MessageId).HasMaxLength(FieldLimits.Name);
        builder.HasOne(m => m.Participant).WithMany().HasForeignKey(m => m.ParticipantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Campaign>().WithMany().HasForeignKey(m => m.CampaignId).OnDelete(DeleteBehavior.Cascade);
    }
}
