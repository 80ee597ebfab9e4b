using System.Collections.Concurrent;
using System.Text;
using MailSink.Domain;
using MailSink.Options;
using MailSink.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace MailSink.Tests.Storage;

internal static class TestStores
{
    public static readonly DateTimeOffset Epoch = new(2026, 3, 1, 12, 0, 0, TimeSpan.FromHours(2));

    public static LiteDbMailStore Open(
        string path, MailboxEvents? events = null, TimeProvider? time = null, int batchSize = 256)
    {
        var storage = Microsoft.Extensions.Options.Options.Create(new StorageOptions { Path = path, WriteBatchSize = batchSize });
        return new(
            storage,
            DataFolder(storage),
            events ?? new MailboxEvents(),
            time ?? TimeProvider.System,
            NullLogger<LiteDbMailStore>.Instance);
    }

    /// <summary>The data directory of a store at <paramref name="path"/> (a file, or "memory"), for <see cref="MailDatabase.Open"/>.</summary>
    public static DataDirectory DataFolder(string path) =>
        DataFolder(Microsoft.Extensions.Options.Options.Create(new StorageOptions { Path = path }));

    private static DataDirectory DataFolder(Microsoft.Extensions.Options.IOptions<StorageOptions> storage)
    {
        var path = storage.Value.Path;
        var folder = path == "memory" ? Path.GetTempPath() : Path.GetDirectoryName(Path.GetFullPath(path))!;
        return new DataDirectory(Microsoft.Extensions.Options.Options.Create(new ServerOptions { DataDirectory = folder }), storage);
    }

    /// <summary>Ids are time-ordered strings, as the SMTP layer makes them.</summary>
    public static MessageSummary Message(int n, DateTimeOffset? receivedAt = null, string? subject = null, string from = "alice@example.com") => new()
    {
        Id = $"M{n:D8}",
        SessionId = $"S{n:D8}",
        ReceivedAt = receivedAt ?? Epoch.AddSeconds(n),
        From = new EmailAddress("Alice", from),
        To = [new EmailAddress("", "bob@example.com")],
        Subject = subject ?? $"Message {n}",
        Date = Epoch.AddSeconds(n).ToOffset(TimeSpan.FromHours(-5)),
        Size = 100 + n,
        Envelope = new Envelope
        {
            MailFrom = from,
            RcptTo = ["bob@example.com"],
            MailParameters = new(StringComparer.OrdinalIgnoreCase) { ["SIZE"] = "1234", ["X-Odd.Key$"] = "v" },
            Helo = "client.example",
            Tls = new TlsInfo("Tls13", "TLS_AES_256_GCM_SHA384"),
        },
        SearchText = $"message {n} alice@example.com",
    };

    /// <summary>Random bytes: raw bodies are stored zstd-compressed, so tests that need a big store cannot use zeros.</summary>
    public static byte[] Incompressible(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static byte[] Raw(int n) => Encoding.UTF8.GetBytes($"Subject: Message {n}\r\n\r\nBody {n}  \r\n");

    public static SessionRecord Session(int n, SessionOutcome outcome = SessionOutcome.Quit, DateTimeOffset? startedAt = null) => new()
    {
        Id = $"S{n:D8}",
        StartedAt = startedAt ?? Epoch.AddSeconds(n).AddMilliseconds(-500),
        EndedAt = (startedAt ?? Epoch.AddSeconds(n)).AddMilliseconds(200),
        Listener = "smtp",
        ClientAddress = "127.0.0.1",
        Helo = "client.example",
        Outcome = outcome,
        MessageIds = [$"M{n:D8}"],
        Lines =
        [
            new TranscriptLine { Time = Epoch, Direction = TranscriptDirection.Server, Text = "220 mailsink ESMTP  " },
            new TranscriptLine { Time = Epoch, Direction = TranscriptDirection.Client, Text = "" },
            new TranscriptLine { Time = Epoch, Direction = TranscriptDirection.Event, Text = "DATA", MessageId = $"M{n:D8}" },
        ],
    };

    public static ConcurrentQueue<MailboxEvent> Record(MailboxEvents events)
    {
        var seen = new ConcurrentQueue<MailboxEvent>();
        events.Subscribe(seen.Enqueue);
        return seen;
    }
}
