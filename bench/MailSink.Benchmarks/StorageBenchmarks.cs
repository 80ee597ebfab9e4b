using System.Text;
using BenchmarkDotNet.Attributes;
using MailSink.Domain;
using MailSink.Mime;
using MailSink.Options;
using MailSink.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace MailSink.Benchmarks;

/// <summary>
/// The store's side of one SMTP message, as the SMTP hook calls it: a 5 KB message with its summary and the
/// session snapshot (16 transcript lines), 100 at a time so the writer batches as it does under load. Per message:
/// divide by 100 (OperationsPerInvoke). A LiteDB file in a fresh temp folder, as the tool runs by default.
/// </summary>
[MemoryDiagnoser]
public class StorageBenchmarks
{
    private const int Messages = 100;
    private readonly MailboxEvents _events = new();
    private string _folder = "";
    private LiteDbMailStore? _store;
    private byte[] _raw = [];
    private MessageSummary _template = new();
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("mailsink-bench-").FullName;
        var options = Microsoft.Extensions.Options.Options.Create(new ServerOptions { DataDirectory = _folder });
        var data = new DataDirectory(options, Microsoft.Extensions.Options.Options.Create(new StorageOptions()));
        _store = new LiteDbMailStore(MailDatabase.Open(data), 200, _events, TimeProvider.System, NullLogger.Instance);
        _raw = Encoding.ASCII.GetBytes(
            "Received: from a (localhost [127.0.0.1])\r\n\tby b (MailSink) with ESMTP id X; Sat, 28 Nov 2026 15:33:07 +0000\r\n" +
            "From: alice@sender.example\r\nTo: bob@destination.example\r\nSubject: bench\r\n\r\n" +
            string.Concat(Enumerable.Repeat("Hello world, this is a line of text of the message.\r\n", 95)));
        _template = MessageProjector.Project(_raw, new Envelope { MailFrom = "alice@sender.example", RcptTo = ["bob@destination.example"] });
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _store!.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public Task AddMessageWithSessionAsync()
    {
        var writes = new Task[Messages];
        for (var i = 0; i < Messages; i++)
        {
            var id = $"bench{Interlocked.Increment(ref _next):D10}";
            var summary = MessageProjector.Project(_raw, new Envelope { MailFrom = "alice@sender.example", RcptTo = ["bob@destination.example"] });
            summary.Id = id;
            summary.SessionId = "s" + id;
            summary.ReceivedAt = DateTimeOffset.UtcNow;
            writes[i] = _store!.AddMessageAsync(summary, _raw, Session(id), CancellationToken.None);
        }

        return Task.WhenAll(writes);
    }

    private static SessionRecord Session(string id)
    {
        var now = DateTimeOffset.UtcNow;
        var session = new SessionRecord { Id = "s" + id, StartedAt = now, Listener = "smtp", ClientAddress = "127.0.0.1", Helo = "bench", MessageIds = [id] };
        string[] lines =
        [
            "220 localhost ESMTP MailSink", "EHLO bench", "250-localhost", "250-PIPELINING", "250-8BITMIME", "250-SIZE 26214400",
            "250 SMTPUTF8", "MAIL FROM:<alice@sender.example>", "250 Ok", "RCPT TO:<bob@destination.example>", "250 Ok", "DATA",
            "354 End data with <CR><LF>.<CR><LF>", "[5,000 bytes of message data]", "250 2.0.0 Ok: queued as " + id, "QUIT",
        ];
        foreach (var text in lines)
        {
            session.Lines.Add(new TranscriptLine { Time = now, Direction = TranscriptDirection.Client, Text = text });
        }

        return session;
    }
}
