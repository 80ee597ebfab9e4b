using MailSink.Domain;
using MailSink.Options;
using MailSink.Storage;
using MailSink.Storage.Postgres;
using MailSink.Tests.TestHost;
using Microsoft.Extensions.Logging.Abstractions;

namespace MailSink.Tests.Storage.Conformance;

/// <summary>The conformance suite on a LiteDB file.</summary>
public sealed class LiteDbFileConformanceTests(StoreTestFolder folder) : MailStoreConformanceTests, IClassFixture<StoreTestFolder>
{
    private protected override Task<IMailStore> OpenEmptyAsync(MailboxEvents events, TimeProvider time) =>
        Task.FromResult<IMailStore>(TestStores.Open(folder.NewDatabaseFile(), events, time));
}

/// <summary>The conformance suite on the in-memory store (Storage:Path=memory).</summary>
public sealed class MemoryConformanceTests : MailStoreConformanceTests
{
    private protected override Task<IMailStore> OpenEmptyAsync(MailboxEvents events, TimeProvider time) =>
        Task.FromResult<IMailStore>(TestStores.Open("memory", events, time));
}

/// <summary>The conformance suite on PostgreSQL: a fresh database per test on the run's server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresConformanceTests(PostgresServer server) : MailStoreConformanceTests
{
    private protected override async Task<IMailStore> OpenEmptyAsync(MailboxEvents events, TimeProvider time)
    {
        var uri = await server.CreateDatabaseAsync("conf");
        var database = new PostgresDatabase(uri, NullLogger.Instance);
        DisposeAfterStore(database);
        await database.EnsureReadyAsync(CancellationToken.None);
        return new PostgresMailStore(
            database, new ClusterNode(), events, Microsoft.Extensions.Options.Options.Create(new StorageOptions { Path = uri }), time, NullLogger<PostgresMailStore>.Instance);
    }
}
