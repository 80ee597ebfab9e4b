namespace MailSink.Options;

/// <summary>Where messages live. Section "Storage".</summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section these options are bound from: "Storage".</summary>
    public const string SectionName = "Storage";

    /// <summary>"memory" for a throwaway in-memory store, a PostgreSQL URI (postgresql://user:password@host:port/database) for several nodes sharing one database, otherwise a LiteDB file path. Empty: mailsink.db in the data directory.</summary>
    public string Path { get; set; } = "";

    /// <summary>Keep at most this many messages; older ones are pruned in the background. Default 50,000.</summary>
    public int MaxMessages { get; set; } = 50_000;

    /// <summary>Prune messages older than this (e.g. 7.00:00:00 for a week); unset keeps them until the count limit.</summary>
    public TimeSpan? MaxAge { get; set; }

    /// <summary>Most writes (messages, session saves) committed in one transaction by the writer, LiteDB or PostgreSQL.</summary>
    public int WriteBatchSize { get; set; } = 256;

    /// <summary>How often retention (MaxMessages, MaxAge) runs in the background.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether <see cref="Path"/> asks for PostgreSQL (postgresql:// or postgres://).</summary>
    public bool IsPostgres => Storage.Postgres.PostgresUri.IsPostgres(Path);

    /// <summary>Whether <see cref="Path"/> asks for the in-memory store.</summary>
    public bool IsMemory => string.Equals(Path, "memory", StringComparison.OrdinalIgnoreCase);
}
