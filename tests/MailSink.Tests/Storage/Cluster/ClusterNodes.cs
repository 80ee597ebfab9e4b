using MailSink.Tests.TestHost;

namespace MailSink.Tests.Storage.Cluster;

/// <summary>
/// Two real MailSink processes (<see cref="MailSinkProcess"/>) on one fresh PostgreSQL database of the run's server: the
/// several-node deployment in one test. Each node has its own data folder (TLS certificate); the mail is shared.
/// </summary>
internal sealed class ClusterNodes : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mailsink-tests", "cluster-" + Guid.NewGuid().ToString("N"));

    private ClusterNodes(string database) => Database = database;

    public string Database { get; }

    public MailSinkProcess A { get; private set; } = null!;

    public MailSinkProcess B { get; private set; } = null!;

    public static async Task<ClusterNodes> StartAsync(PostgresServer server, string prefix)
    {
        var nodes = new ClusterNodes(await server.CreateDatabaseAsync(prefix));
        try
        {
            // One after the other: the second finds the schema migrated (the advisory lock is tested elsewhere).
            nodes.A = await nodes.StartNodeAsync("a");
            nodes.B = await nodes.StartNodeAsync("b");
            return nodes;
        }
        catch
        {
            await nodes.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in new[] { A, B })
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner.
        }
    }

    private Task<MailSinkProcess> StartNodeAsync(string name)
    {
        var data = Path.Combine(_folder, name);
        Directory.CreateDirectory(data);
        return MailSinkProcess.StartAsync(Database, authorization: null, "--data-dir", data);
    }
}
