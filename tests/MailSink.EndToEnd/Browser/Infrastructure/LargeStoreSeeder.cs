using System.Diagnostics;
using System.Text;
using MailSink.Domain;
using MailSink.Options;
using MailSink.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace MailSink.EndToEnd.Browser.Infrastructure;

/// <summary>
/// Writes many tiny messages straight into a LiteDB file through the real store (not over SMTP, which
/// would take minutes), so a host can then be started on it. Message n is received n seconds after a fixed
/// start: the newest, at the top of the inbox, is the highest n.
/// </summary>
internal static class LargeStoreSeeder
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);

    public static string SubjectOf(int n) => $"Seeded message {n:D6}";

    public static async Task<TimeSpan> SeedAsync(string path, int count, CancellationToken cancellationToken = default)
    {
        const int Batch = 5_000;
        var clock = Stopwatch.StartNew();
        var storage = Microsoft.Extensions.Options.Options.Create(new StorageOptions { Path = path, WriteBatchSize = Batch });
        var server = Microsoft.Extensions.Options.Options.Create(new ServerOptions { Hostname = MailSinkHost.Hostname, DataDirectory = Path.GetDirectoryName(Path.GetFullPath(path))! });
        var store = new LiteDbMailStore(
            storage,
            new DataDirectory(server, storage),
            new MailboxEvents(),
            TimeProvider.System,
            NullLogger<LiteDbMailStore>.Instance);
        await using (store)
        {
            for (var first = 0; first < count; first += Batch)
            {
                var writes = new List<Task>(Batch);
                for (var n = first; n < Math.Min(count, first + Batch); n++)
                {
                    writes.Add(store.AddMessageAsync(Summary(n), Raw(n), cancellationToken));
                }

                await Task.WhenAll(writes);
            }
        }

        return clock.Elapsed;
    }

    private static MessageSummary Summary(int n)
    {
        var from = $"sender{n % 97}@example.com";
        return new MessageSummary
        {
            Id = $"SEED{n:D8}",
            SessionId = $"SEEDSESSION{n:D8}",
            ReceivedAt = Start.AddSeconds(n),
            Date = Start.AddSeconds(n),
            From = new EmailAddress($"Sender {n % 97}", from),
            To = [new EmailAddress("", "dev@example.com")],
            Subject = SubjectOf(n),
            Size = 120,
            HasText = true,
            Snippet = $"Body of seeded message {n}.",
            Envelope = new Envelope
            {
                MailFrom = from,
                RcptTo = ["dev@example.com"],
                Helo = "seeder.example",
                ClientAddress = "127.0.0.1",
                Listener = "smtp",
            },
            SearchText = $"seeded message {n:D6} {from} dev@example.com",
        };
    }

    private static byte[] Raw(int n) =>
        Encoding.ASCII.GetBytes($"From: sender{n % 97}@example.com\r\nTo: dev@example.com\r\nSubject: {SubjectOf(n)}\r\n\r\nBody of seeded message {n}.\r\n");
}
