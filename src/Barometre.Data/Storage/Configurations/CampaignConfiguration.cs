using Barometre.Data.Campaigns;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Barometre.Data.Storage.Configurations;

internal sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaign>
{
    public void Configure(EntityTypeBuilder<Campaign> builder)
    {
        builder.Property(c => c.Name).HasMaxLength(FieldLimits.Name);
        builder.Property(c => c.ModelId).HasMaxLength(FieldLimits.Name);
        builder.HasMany(c => c.Participants).WithOne(p => p.Campaign).HasForeignKey(p => p.CampaignId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ParticipantConfiguration : IEntityTypeConfiguration<Participant>
{
    public void Configure(EntityTypeBuilder<Participant> builder)
    {
        builder.Property(p => p.Code).HasMaxLength(FieldLimits.Code);
        builder.Property(p => p.Name).HasMaxLength(FieldLimits.CollectiviteName);
        builder.Property(p => p.Type).HasMaxLength(FieldLimits.Name);
        builder.Property(p => p.Region).HasMaxLength(FieldLimits.Name);
        builder.Property(p => p.Email).HasMaxLength(FieldLimits.Email);
        builder.Property(p => p.SubmittedBy).HasMaxLength(FieldLimits.Actor);
        builder.HasIndex(p => new { p.CampaignId, p.Code }).IsUnique();
        builder.HasMany(p => p.Answers).WithOne(a => a.Participant).HasForeignKey(a => a.ParticipantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(p => p.Contributors).WithOne(c => c.Participant).HasForeignKey(c => c.ParticipantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(p => p.Invitations).WithOne(i => i.Participant).HasForeignKey(i => i.ParticipantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> builder)
    {
        builder.Property(i => i.TokenHash).HasMaxLength(64);
        builder.HasIndex(i => i.TokenHash).IsUnique();
    }
}

internal sealed class AnswerConfiguration : IEntityTypeConfiguration<Answer>
{
    public void Configure(EntityTypeBuilder<Answer> builder)
    {
        builder.Property(a => a.QuestionId).HasMaxLength(FieldLimits.Name);
        builder.Property(a => a.Comment).HasMaxLength(FieldLimits.AnswerText);
        builder.Property(a => a.EvidenceUrl).HasMaxLength(FieldLimits.Url);
        builder.Property(a => a.EvidenceText).HasMaxLength(FieldLimits.AnswerText);
        builder.Property(a => a.EvidenceReviewNote).HasMaxLength(FieldLimits.Url);
        builder.Property(a => a.UpdatedBy).HasMaxLength(FieldLimits.Actor);
        // Two people saving the same question at once: the second save finds a newer version and stops.
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.HasIndex(a => new { a.ParticipantId, a.QuestionId }).IsUnique();
        builder.Ignore(a => a.Cell);
        builder.Ignore(a => a.IsGiven);
    }
}

internal sealed class ContributorConfiguration : IEntityTypeConfiguration<Contributor>
{
    public void Configure(EntityTypeBuilder<Contributor> builder)
    {
        builder.Property(c => c.Name).HasMaxLength(FieldLimits.Name);
        builder.Property(c => c.Email).HasMaxLength(FieldLimits.Email);
        builder.HasIndex(c => new { c.ParticipantId, c.Name }).IsUnique();
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.Property(a => a.Actor).HasMaxLength(FieldLimits.Actor);
        builder.Property(a => a.Action).HasMaxLength(100);
        builder.Property(a => a.Subject).HasMaxLength(FieldLimits.Actor);
        builder.HasIndex(a => new { a.CampaignId, a.At });
        builder.HasIndex(a => a.ParticipantId);
    }
}

internal sealed class ResultsSnapshotConfiguration : IEntityTypeConfiguration<ResultsSnapshot>
{
    public void Configure(EntityTypeBuilder<ResultsSnapshot> builder)
    {
        builder.HasKey(s => s.CampaignId);
        builder.HasOne<Campaign>().WithOne().HasForeignKey<ResultsSnapshot>(s => s.CampaignId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OperatorAccountConfiguration : IEntityTypeConfiguration<OperatorAccount>
{
    public void Configure(EntityTypeBuilder<OperatorAccount> builder)
    {
        builder.ToTable("Operators");
        builder.Property(o => o.Email).HasMaxLength(FieldLimits.Email);
        builder.Property(o => o.SecurityStamp).HasMaxLength(64);
        builder.HasIndex(o => o.Email).IsUnique();
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.Property(k => k.Name).HasMaxLength(FieldLimits.Name);
        builder.Property(k => k.KeyHash).HasMaxLength(64);
        builder.HasIndex(k => k.KeyHash).IsUnique();
    }
}

internal sealed class BenchmarkReleaseConfiguration : IEntityTypeConfiguration<BenchmarkRelease>
{
    public void Configure(EntityTypeBuilder<BenchmarkRelease> builder)
    {
        // Two instances releasing at once: the second insert of the same number fails and reads the first's.
        builder.HasIndex(r => new { r.CampaignId, r.Number }).IsUnique();
        builder.HasOne<Campaign>().WithMany().HasForeignKey(r => r.CampaignId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class HealthProbeConfiguration : IEntityTypeConfiguration<HealthProbe>
{
    public void Configure(EntityTypeBuilder<HealthProbe> builder)
    {
        builder.HasKey(p => p.Instance);
        builder.Property(p => p.Instance).HasMaxLength(FieldLimits.Name);
    }
}
