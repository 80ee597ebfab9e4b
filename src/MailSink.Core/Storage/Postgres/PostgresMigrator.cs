using System.Globalization;
using Npgsql;

namespace MailSink.Storage.Postgres;

/// <summary>
/// Applies the embedded Migrations/NNNN_name.sql files in order, each in its own transaction with its row in
/// schema_migrations, under a session advisory lock: two nodes starting together take turns, and the second finds
/// the work done. Files are only ever added; an applied one is never edited (its version is what is recorded).
/// </summary>
internal static class PostgresMigrator
{
    /// <summary>pg_advisory_lock key shared by every MailSink node ("MailSink" in ASCII, as a number).</summary>
    public const long LockKey = 0x4D61696C53696E6B;

    private const string ResourcePrefix = "MailSink.Postgres.Migrations.";

    /// <summary>The embedded migrations, by version: 0001_messages.sql is version 1.</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> Embedded()
    {
        var assembly = typeof(PostgresMigrator).Assembly;
        var migrations = new List<(int, string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var name = resource[ResourcePrefix.Length..];
            var version = int.Parse(name.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            migrations.Add((version, Path.GetFileNameWithoutExtension(name), reader.ReadToEnd()));
        }

        return migrations.OrderBy(m => m.Item1).ToList();
    }

    /// <summary>Brings the schema up to date; returns the names of the migrations this call applied.</summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({LockKey})", cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(
                connection,
                "CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
                cancellationToken).ConfigureAwait(false);

            var applied = new HashSet<int>();
            await using (var query = new NpgsqlCommand("SELECT version FROM schema_migrations", connection))
            await using (var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    applied.Add(reader.GetInt32(0));
                }
            }

            var done = new List<string>();
            foreach (var (version, name, sql) in Embedded().Where(m => !applied.Contains(m.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, sql, cancellationToken).ConfigureAwait(false);
                await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", connection))
                {
                    record.Parameters.Add(new() { Value = version });
                    record.Parameters.Add(new() { Value = name });
                    await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                done.Add(name);
            }

            return done;
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
