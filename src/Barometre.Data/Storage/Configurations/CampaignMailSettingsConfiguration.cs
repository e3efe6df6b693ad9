using Barometre.Data.Campaigns;
using Barometre.Data.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Barometre.Data.Storage.Configurations;

internal sealed class CampaignMailSettingsConfiguration : IEntityTypeConfiguration<CampaignMailSettings>
{
    public void Configure(EntityTypeBuilder<CampaignMailSettings> builder)
    {
        builder.HasKey(s => s.CampaignId);
        builder.Ignore(s => s.Schedule);
        builder.Property(s => s.Organiser).HasMaxLength(FieldLimits.Name);
        builder.Property(s => s.InvitationSubject).HasMaxLength(MailTemplate.MaxSubject);
        builder.Property(s => s.ReminderSubject).HasMaxLength(MailTemplate.MaxSubject);
        builder.Property(s => s.InvitationText).HasMaxLength(MailTemplate.MaxBody);
        builder.Property(s => s.InvitationHtml).HasMaxLength(MailTemplate.MaxBody);
        builder.Property(s => s.ReminderText).HasMaxLength(MailTemplate.MaxBody);
        builder.Property(s => s.ReminderHtml).HasMaxLength(MailTemplate.MaxBody);
        builder.Property(s => s.ReminderDays).HasMaxLength(FieldLimits.Name);
        builder.Property(s => s.SiteUrl).HasMaxLength(FieldLimits.Url);
        builder.HasOne<Campaign>().WithOne().HasForeignKey<CampaignMailSettings>(s => s.CampaignId).OnDelete(DeleteBehavior.Cascade);
    }
}
