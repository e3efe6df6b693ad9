using System.Net;
using Barometre.Data.Storage;
using Barometre.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Barometre.Web.Tests.Api;

/// <summary>
/// PostgreSQL only: a database that refuses writes (a read-only replica, a role without rights, a full disk's
/// refusals) while it still answers reads. <c>/health</c> says so, and a save is a French 503 problem, not a 500.
/// </summary>
public sealed class ReadOnlyDatabaseTests_Postgres(PostgresDatabase database) : WebTest<PostgresDatabase>(database), IClassFixture<PostgresDatabase>
{
    private static readonly Uri Health = new("/health", UriKind.Relative);

    [Fact]
    public async Task ReadOnlyDatabase_HealthAndSaves_Are503InFrench_ReadsGoOn()
    {
        var campaign = await App.SeedCampaignAsync(cancellationToken: Ct);
        var question = campaign.QuestionIds[0];
        using var client = Client();
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        using (var before = await client.GetAsync(Health, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await SetReadOnlyAsync(true);
        try
        {
            App.Clock.Advance(TimeSpan.FromMinutes(1));
            using var health = await client.GetAsync(Health, Ct);
            using var save = await client.PutAnswerAsync(campaign.A.Token, question, new { level = 2, status = (string?)null, comment = (string?)null }, cancellationToken: Ct);
            using var read = await client.GetAsync(new Uri(campaign.A.Api, UriKind.Relative), Ct);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Equal("indisponible : la base PostgreSQL n'accepte que des lectures (réplique, ou default_transaction_read_only)", await health.Content.ReadAsStringAsync(Ct));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, save.StatusCode);
            Assert.Equal("application/problem+json", save.Content.Headers.ContentType?.MediaType);
            var problem = await save.JsonAsync(Ct);
            Assert.Equal("Service momentanément indisponible", problem.GetProperty("title").GetString());
            Assert.Contains("rien n'a été enregistré", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }
        finally
        {
            await SetReadOnlyAsync(false);
        }

        App.Clock.Advance(TimeSpan.FromMinutes(1));
        using var healthAfter = await client.GetAsync(Health, Ct);
        using var saveAfter = await client.PutAnswerAsync(campaign.A.Token, question, new { level = 2, status = (string?)null, comment = (string?)null }, cancellationToken: Ct);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (healthAfter.StatusCode, saveAfter.StatusCode));
    }

    /// <summary>
    /// Makes the test database refuse writes in new sessions, or accept them again, and closes the app's idle pooled
    /// connections so that its next ones are such sessions.
    /// </summary>
    private async Task SetReadOnlyAsync(bool readOnly)
    {
        var name = new NpgsqlConnectionStringBuilder(Database.ConnectionString).Database;
        await using (var admin = new NpgsqlConnection(PostgresTestStore.AdminConnection))
        {
            await admin.OpenAsync(Ct);
            await using var command = new NpgsqlCommand(
                readOnly ? $"ALTER DATABASE \"{name}\" SET default_transaction_read_only = on" : $"ALTER DATABASE \"{name}\" RESET default_transaction_read_only", admin);
            await command.ExecuteNonQueryAsync(Ct);
        }
        await using var pooled = new NpgsqlConnection(App.Services.GetRequiredService<DatabaseSettings>().NpgsqlConnection);
        NpgsqlConnection.ClearPool(pooled);
    }
}
