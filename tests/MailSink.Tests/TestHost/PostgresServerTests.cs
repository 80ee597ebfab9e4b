using Npgsql;

namespace MailSink.Tests.TestHost;

/// <summary>The harness itself: a server starts, hands out separate databases, and refuses a wrong password.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresServerTests(PostgresServer server)
{
    [PostgresFact]
    public async Task Each_database_is_fresh_and_reachable_with_the_password_only()
    {
        var first = await server.CreateDatabaseAsync();
        var second = await server.CreateDatabaseAsync();
        Assert.NotEqual(first, second);

        var name = new Uri(first).AbsolutePath.TrimStart('/');
        await using (var connection = new NpgsqlConnection(server.ConnectionString(name)))
        {
            await connection.OpenAsync();
            await using var query = new NpgsqlCommand("SELECT current_database(), count(*) FROM pg_tables WHERE schemaname = 'public'", connection);
            await using var reader = await query.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(name, reader.GetString(0));
            Assert.Equal(0, reader.GetInt64(1));
        }

        var wrong = new NpgsqlConnectionStringBuilder(server.ConnectionString(name)) { Password = "wrong" };
        await using var refused = new NpgsqlConnection(wrong.ConnectionString);
        var error = await Assert.ThrowsAsync<PostgresException>(() => refused.OpenAsync());
        Assert.Equal("28P01", error.SqlState);
    }
}
