using MailSink.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace MailSink.Tests.TestHost;

/// <summary>MailSink in-process on a PostgreSQL database (Storage:Path is its URI): one node of several sharing it.</summary>
public sealed class PostgresNodeApp(string uri) : MailSinkApp(dataDirectory: null, memory: false, settings: new Dictionary<string, string?> { ["Storage:Path"] = uri })
{
    /// <summary>Starts the node and returns once it listens for the other nodes' notifications.</summary>
    public static async Task<PostgresNodeApp> StartNodeAsync(string uri)
    {
        var node = new PostgresNodeApp(uri);
        await node.InitializeAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await node.Services.GetRequiredService<PostgresEventListener>().WhenListeningAsync(timeout.Token);
        return node;
    }
}
