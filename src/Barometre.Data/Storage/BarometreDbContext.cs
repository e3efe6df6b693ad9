using Barometre.Data.Campaigns;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Barometre.Data.Storage;

/// <summary>
/// The campaigns' database. One model for both providers; <see cref="SqliteBarometreContext"/> and
/// <see cref="PostgresBarometreContext"/> exist only to carry each provider's migrations.
/// </summary>
public abstract class BarometreDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<Campaign> Campaigns => Set<Campaign>();

    public DbSet<Participant> Participants => Set<Participant>();

    public DbSet<Invitation> Invitations => Set<Invitation>();

    public DbSet<Answer> Answers => Set<Answer>();

    public DbSet<Contributor> Contributors => Set<Contributor>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<ResultsSnapshot> ResultsSnapshots => Set<ResultsSnapshot>();

    public DbSet<OperatorAccount> Operators => Set<OperatorAccount>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<CampaignAssignment> CampaignAssignments => Set<CampaignAssignment>();

    public DbSet<OperatorAuditEntry> OperatorAudit => Set<OperatorAuditEntry>();

    public DbSet<BenchmarkRelease> BenchmarkReleases => Set<BenchmarkRelease>();

    public DbSet<HealthProbe> HealthProbes => Set<HealthProbe>();

    public DbSet<Mail.OutboxMessage> Outbox => Set<Mail.OutboxMessage>();

    public DbSet<Mail.CampaignMailSettings> MailSettings => Set<Mail.CampaignMailSettings>();

    public DbSet<Mail.SenderLease> SenderLeases => Set<Mail.SenderLease>();

    /// <summary>ASP.NET Core data-protection keys, shared by every instance of the web app.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(BarometreDbContext).Assembly, type => type.Namespace == typeof(Configurations.CampaignConfiguration).Namespace);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        // Every time is UTC: stored as such and read back as such (SQLite keeps no kind, PostgreSQL wants UTC).
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcConverter>();
    }

    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        value => value.Kind == DateTimeKind.Utc ? value : value.ToUniversalTime(),
        value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
}

/// <summary>The context on SQLite (the embedded default); its migrations are in Migrations/Sqlite.</summary>
public sealed class SqliteBarometreContext(DbContextOptions<SqliteBarometreContext> options) : BarometreDbContext(options);

/// <summary>The context on PostgreSQL; its migrations are in Migrations/Postgres.</summary>
public sealed class PostgresBarometreContext(DbContextOptions<PostgresBarometreContext> options) : BarometreDbContext(options);
