using System.Net.Sockets;
using MailSink.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MailSink.Storage.Postgres;

/// <summary>
/// The connection pool to the PostgreSQL database of Storage:Path, made ready once (reachable, schema migrated)
/// before the first read or write; start-up waits for it (<see cref="PostgresStartup"/>) so a bad server fails
/// the start in one line instead of every later request.
/// </summary>
internal sealed partial class PostgresDatabase : IAsyncDisposable
{
    private readonly NpgsqlConnectionStringBuilder _settings;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private Task? _ready;

    public PostgresDatabase(IOptions<StorageOptions> storage, ILogger<PostgresDatabase> logger)
        : this(storage.Value.Path, logger)
    {
    }

    public PostgresDatabase(string uri, ILogger logger)
    {
        // Validated at start-up (StorageOptionsValidator); a bad URI never gets here.
        _settings = PostgresUri.Parse(uri);
        _logger = logger;
        DataSource = new NpgsqlDataSourceBuilder(_settings.ConnectionString).Build();
    }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>host:port/database, for messages (never the password).</summary>
    public string Where => $"{_settings.Host}:{_settings.Port}/{_settings.Database}";

    /// <summary>The settings without the pool: the listener's own long-lived connection is built from these.</summary>
    public string ConnectionString => _settings.ConnectionString;

    /// <summary>Completes once the server answered and the schema is current; faults with <see cref="StorageConnectionException"/>.</summary>
    public Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // Once: every caller waits for the same attempt (a failed start-up is not retried; the host stops).
            _ready ??= OpenAsync(CancellationToken.None);
        }

        return _ready.WaitAsync(cancellationToken);
    }

    /// <summary>A pooled connection, once the database is ready; failures become <see cref="StoreUnavailableException"/>.</summary>
    public async Task<NpgsqlConnection> OpenAsync(string purpose, CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsDatabaseFault(ex))
        {
            throw new StoreUnavailableException($"The message store (PostgreSQL at {Where}) could not be reached to {purpose}: {ex.Message}", ex);
        }
    }

    /// <summary>What a lost server, a refused connection or a failed statement throws (not a cancellation).</summary>
    public static bool IsDatabaseFault(Exception ex) =>
        ex is NpgsqlException or SocketException or IOException or TimeoutException or InvalidOperationException { InnerException: NpgsqlException };

    /// <summary>The next node number modulo 256: unique among live nodes unless 256 nodes started since this one.</summary>
    public async Task<byte> TakeNodeSlotAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync("take a node slot", cancellationToken).ConfigureAwait(false);
        await using var next = new NpgsqlCommand("SELECT nextval('node_slots') % 256", connection);
        return (byte)(long)(await next.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async ValueTask DisposeAsync() => await DataSource.DisposeAsync().ConfigureAwait(false);

    private async Task OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            var applied = await PostgresMigrator.MigrateAsync(DataSource, cancellationToken).ConfigureAwait(false);
            foreach (var name in applied)
            {
                Log.Migrated(_logger, name, Where);
            }
        }
        catch (Exception ex) when (IsDatabaseFault(ex))
        {
            var reason = ex is PostgresException pg ? $"{pg.MessageText} ({pg.SqlState})" : ex.GetBaseException().Message;
            throw new StorageConnectionException($"Storage:Path (--storage): cannot use PostgreSQL at {Where}: {reason}", ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(3040, LogLevel.Information, "PostgreSQL schema migration {Name} applied to {Where}")]
        public static partial void Migrated(ILogger logger, string name, string where);
    }
}
