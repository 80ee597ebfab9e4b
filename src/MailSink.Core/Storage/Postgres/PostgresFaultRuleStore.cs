using System.Text.Json;
using System.Threading.Channels;
using MailSink.Faults;
using MailSink.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace MailSink.Storage.Postgres;

/// <summary>
/// The fault rules in PostgreSQL (table fault_rules, migration 0002), shared by every node on the database. Changes and
/// firings are queued by <see cref="FaultRules"/> (never blocking the API or an SMTP session) and written in order by
/// one loop, each batch in one transaction with a NOTIFY of kind <see cref="Kind"/>; every other node then reloads
/// the list and the counts (<see cref="FaultRules.Load"/>) and the runtime settings (table runtime_settings: Chaos and
/// Jim as the API shows them, <see cref="FaultCompatState.Load"/>). At start-up the node adds its configured rules (Faults:Rules)
/// that the table lacks and loads the table. Does nothing unless Storage:Path is a PostgreSQL URI.
/// </summary>
/// <remarks>
/// Counts: each firing adds 1 to the rule's shared counter (UPDATE ... RETURNING) and the others take the new total
/// (never lowering their own). A rule limited to N firings is decided on the node that sees the command, from the total
/// it knows: two nodes firing the same limited rule within one notification's round trip (a few milliseconds) can
/// together fire it once more than N; the counter still shows every firing.
/// </remarks>
internal sealed partial class PostgresFaultRuleStore(
    IOptions<StorageOptions> storage, IOptions<FaultOptions> faultOptions, IServiceProvider services, ILogger<PostgresFaultRuleStore> logger)
    : BackgroundService, IFaultRuleStore
{
    /// <summary>The notification kind on <see cref="ClusterNotifications.Channel"/>: the rule list or a count changed.</summary>
    public const string Kind = "faults";

    private const int MaxBatch = 500;

    private readonly Channel<Work> _work = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private int _reloadQueued;

    public void Changed(FaultRuleChange change) => _work.Writer.TryWrite(new ChangeWork(change));

    public void Fired(string ruleId) => _work.Writer.TryWrite(new FireWork(ruleId));

    public void SettingChanged(string key, string? json) => _work.Writer.TryWrite(new SettingWork(key, json));

    public Task FlushAsync(CancellationToken cancellationToken)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_work.Writer.TryWrite(new FlushWork(flushed)))
        {
            flushed.TrySetException(new StoreUnavailableException("The node is stopping: the fault rules were not stored."));
        }

        return flushed.Task.WaitAsync(cancellationToken);
    }

    // Two methods so that a server on LiteDB never compiles the second (see PostgresStartup).
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PostgresUri.IsPostgres(storage.Value.Path) ? SyncForeverAsync(stoppingToken) : Task.CompletedTask;

    private async Task SyncForeverAsync(CancellationToken stoppingToken)
    {
        var database = services.GetRequiredService<PostgresDatabase>();
        var rules = services.GetRequiredService<FaultRules>();
        var compat = services.GetRequiredService<FaultCompatState>();
        var node = services.GetRequiredService<ClusterNode>();
        try
        {
            await database.EnsureReadyAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (StorageConnectionException)
        {
            // Start-up reports it (PostgresStartup) and stops the host.
            return;
        }

        services.GetRequiredService<PostgresEventListener>().OtherKind += (notification, _) =>
        {
            if (notification.Kind == Kind)
            {
                QueueReload();
            }
        };

        await StartAsync(database, rules, compat, node, stoppingToken).ConfigureAwait(false);
        try
        {
            while (await _work.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                var batch = new List<Work>();
                while (batch.Count < MaxBatch && _work.Reader.TryRead(out var work))
                {
                    batch.Add(work);
                }

                await RunAsync(database, rules, compat, node, batch, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what is still queued is this node's last firings, counted locally only.
        }
        finally
        {
            _work.Writer.TryComplete();
            while (_work.Reader.TryRead(out var left))
            {
                (left as FlushWork)?.Done.TrySetException(new StoreUnavailableException("The node stopped before the fault rules were stored."));
            }
        }
    }

    private void QueueReload()
    {
        // Coalesced: a burst of firings on other nodes becomes one reload here.
        if (Interlocked.Exchange(ref _reloadQueued, 1) == 0)
        {
            _work.Writer.TryWrite(new ReloadWork());
        }
    }

    /// <summary>Adds the configured rules the table lacks, then loads the table; retried until the database answers.</summary>
    private async Task StartAsync(PostgresDatabase database, FaultRules rules, FaultCompatState compat, ClusterNode node, CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                await using var connection = await database.OpenAsync("load the fault rules", stoppingToken).ConfigureAwait(false);
                if (rules.Configured.Count > 0)
                {
                    await using var transaction = await connection.BeginTransactionAsync(stoppingToken).ConfigureAwait(false);
                    await WriteAsync(connection, new FaultRuleChange(rules.Configured, [], KeepExisting: true), stoppingToken).ConfigureAwait(false);
                    await ClusterNotifications.NotifyAsync(connection, node.Id, Kind, [], stoppingToken).ConfigureAwait(false);
                    await transaction.CommitAsync(stoppingToken).ConfigureAwait(false);
                }

                await LoadAsync(connection, rules, compat, stoppingToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (PostgresDatabase.IsDatabaseFault(ex) || ex is StoreUnavailableException)
            {
                Log.WriteFailed(logger, ex);
                await Task.Delay(backoff, stoppingToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    private async Task RunAsync(PostgresDatabase database, FaultRules rules, FaultCompatState compat, ClusterNode node, List<Work> batch, CancellationToken stoppingToken)
    {
        var changes = batch.OfType<ChangeWork>().Select(w => w.Change).ToList();
        var settings = batch.OfType<SettingWork>().ToList();
        var fired = batch.OfType<FireWork>().GroupBy(w => w.RuleId).Select(g => (Id: g.Key, Count: g.Count())).ToList();
        var reload = batch.OfType<ReloadWork>().Any() || changes.Count > 0 || settings.Count > 0;
        if (batch.OfType<ReloadWork>().Any())
        {
            Volatile.Write(ref _reloadQueued, 0);
        }

        try
        {
            await using var connection = await database.OpenAsync("store the fault rules", stoppingToken).ConfigureAwait(false);
            if (changes.Count > 0 || fired.Count > 0 || settings.Count > 0)
            {
                await using var transaction = await connection.BeginTransactionAsync(stoppingToken).ConfigureAwait(false);
                foreach (var setting in settings)
                {
                    await using var command = setting.Json is null
                        ? new NpgsqlCommand("DELETE FROM runtime_settings WHERE key = $1", connection)
                        : new NpgsqlCommand("INSERT INTO runtime_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()", connection);
                    command.Parameters.Add(new() { Value = setting.Key });
                    if (setting.Json is not null)
                    {
                        command.Parameters.Add(new() { Value = setting.Json, NpgsqlDbType = NpgsqlDbType.Jsonb });
                    }

                    await command.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                }

                foreach (var change in changes)
                {
                    await WriteAsync(connection, change, stoppingToken).ConfigureAwait(false);
                }

                foreach (var (id, count) in fired)
                {
                    await using var update = new NpgsqlCommand("UPDATE fault_rules SET fired = fired + $2 WHERE id = $1 RETURNING fired", connection);
                    update.Parameters.Add(new() { Value = id });
                    update.Parameters.Add(new() { Value = count });
                    if (await update.ExecuteScalarAsync(stoppingToken).ConfigureAwait(false) is int total)
                    {
                        rules.Find(id)?.SyncFired(total);
                    }
                }

                await ClusterNotifications.NotifyAsync(connection, node.Id, Kind, [], stoppingToken).ConfigureAwait(false);
                await transaction.CommitAsync(stoppingToken).ConfigureAwait(false);
            }

            // After a change of its own too: a change made here while another node's list was being loaded would
            // otherwise be missing from memory until the next notification.
            if (reload)
            {
                await LoadAsync(connection, rules, compat, stoppingToken).ConfigureAwait(false);
            }

            foreach (var flush in batch.OfType<FlushWork>())
            {
                flush.Done.TrySetResult();
            }
        }
        catch (Exception ex) when (PostgresDatabase.IsDatabaseFault(ex) || ex is StoreUnavailableException)
        {
            Log.WriteFailed(logger, ex);
            var failure = ex as StoreUnavailableException ?? new StoreUnavailableException($"The fault rules could not be stored in PostgreSQL: {ex.Message}", ex);
            foreach (var flush in batch.OfType<FlushWork>())
            {
                flush.Done.TrySetException(failure);
            }
        }
    }

    private async Task WriteAsync(NpgsqlConnection connection, FaultRuleChange change, CancellationToken cancellationToken)
    {
        if (change.Removed.Count > 0)
        {
            await using var delete = new NpgsqlCommand("DELETE FROM fault_rules WHERE id = ANY($1)", connection);
            delete.Parameters.Add(new() { Value = change.Removed.ToArray() });
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var upsert = change.KeepExisting
            ? "INSERT INTO fault_rules (id, spec) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING"
            : "INSERT INTO fault_rules (id, spec) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET spec = EXCLUDED.spec, fired = 0, updated_at = now()";
        foreach (var rule in change.Upserted)
        {
            if (rule.Spec is null)
            {
                Log.NoSpec(logger, rule.Id);
                continue;
            }

            await using var command = new NpgsqlCommand(upsert, connection);
            command.Parameters.Add(new() { Value = rule.Id });
            command.Parameters.Add(new() { Value = JsonSerializer.Serialize(rule.Spec), NpgsqlDbType = NpgsqlDbType.Jsonb });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task LoadAsync(NpgsqlConnection connection, FaultRules rules, FaultCompatState compat, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string>();
        await using (var read = new NpgsqlCommand("SELECT key, value::text FROM runtime_settings", connection))
        await using (var settingsReader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await settingsReader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                settings[settingsReader.GetString(0)] = settingsReader.GetString(1);
            }
        }

        compat.Load(settings.GetValueOrDefault(FaultCompatState.ChaosKey), settings.GetValueOrDefault(FaultCompatState.JimKey));

        var loaded = new List<(FaultRule, int)>();
        await using var query = new NpgsqlCommand("SELECT id, spec::text, fired FROM fault_rules ORDER BY position", connection);
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = reader.GetString(0);
            var spec = JsonSerializer.Deserialize<FaultRuleSpec>(reader.GetString(1)) ?? new FaultRuleSpec();

            // Another node's configuration may allow what this one does not (a longer delay, another magic domain).
            if (FaultRuleFactory.Create(spec, id, faultOptions.Value, out var error) is { } rule)
            {
                loaded.Add((rule, reader.GetInt32(2)));
            }
            else
            {
                Log.Unusable(logger, id, error?.Detail ?? "");
            }
        }

        rules.Load(loaded);
    }

    private abstract record Work;

    private sealed record ChangeWork(FaultRuleChange Change) : Work;

    private sealed record FireWork(string RuleId) : Work;

    private sealed record SettingWork(string Key, string? Json) : Work;

    private sealed record ReloadWork : Work;

    private sealed record FlushWork(TaskCompletionSource Done) : Work;

    private static partial class Log
    {
        [LoggerMessage(3090, LogLevel.Warning, "Could not store or load the shared fault rules in PostgreSQL; this node keeps its own until it can")]
        public static partial void WriteFailed(ILogger logger, Exception exception);

        [LoggerMessage(3091, LogLevel.Warning, "Shared fault rule {Id} is not usable on this node and is left out here: {Reason}")]
        public static partial void Unusable(ILogger logger, string id, string reason);

        [LoggerMessage(3092, LogLevel.Warning, "Fault rule {Id} has no spec to share; it stays on this node")]
        public static partial void NoSpec(ILogger logger, string id);
    }
}
