using Barometre.Data.Campaigns;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Barometre.Data.Storage.Configurations;

internal sealed class AnswerConfiguration : IEntityTypeConfiguration<Answer>
{
    public void Configure(EntityTypeBuilder<Answer> builder)
    {
        builder.Property(a => a.QuestionId).HasMaxLength(FieldLimits.Name);
        builder.Property(a => a.Comment).HasMaxLength(FieldLimits.AnswerText);
        builder.Property(a => a.EvidenceUrl).HasMaxLength(FieldLimits.Url);
        builder.Property(a => a.EvidenceText).HasMaxLength(FieldLimits.AnswerText);
        builder.Property(a => a.EvidenceReviewNote).HasMaxLength(FieldLimits.Url);
        builder.Property(a => a.EvidenceReply).HasMaxLength(FieldLimits.AnswerText);
        builder.Property(a => a.UpdatedBy).HasMaxLength(FieldLimits.Actor);
        // Two people saving the same question at once: the second save finds a newer version and stops.
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.HasIndex(a => new { a.ParticipantId, a.QuestionId }).IsUnique();
        builder.Ignore(a => a.Cell);
        builder.Ignore(a => a.IsGiven);
        builder.Ignore(a => a.Doubt);
    }
}
