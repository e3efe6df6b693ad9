using Barometre.Data.Storage;
using Npgsql;

namespace Barometre.Data.Tests.Storage;

/// <summary>The connection string the app uses on PostgreSQL.</summary>
public sealed class DatabaseSettingsTest
{
    [Fact]
    public void NpgsqlConnection_PreparesStatementsAutomatically_UnlessTheOperatorSaysOtherwise()
    {
        var plain = new DatabaseSettings("data", "Host=db;Username=u;Password=p;Database=b");
        var chosen = new DatabaseSettings("data", "Host=db;Username=u;Password=p;Database=b;Max Auto Prepare=5");
        var disabled = new DatabaseSettings("data", "Host=db;Database=b;maxautoprepare=0");

        var used = new NpgsqlConnectionStringBuilder(plain.NpgsqlConnection);
        Assert.Equal((64, "db", "b", "u", "p"), (used.MaxAutoPrepare, used.Host, used.Database, used.Username, used.Password));
        Assert.Equal(5, new NpgsqlConnectionStringBuilder(chosen.NpgsqlConnection).MaxAutoPrepare);
        Assert.Equal(0, new NpgsqlConnectionStringBuilder(disabled.NpgsqlConnection).MaxAutoPrepare);
        Assert.Null(new DatabaseSettings("data").NpgsqlConnection);
    }
}
