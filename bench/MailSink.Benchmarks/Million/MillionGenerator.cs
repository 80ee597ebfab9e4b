using System.Diagnostics;
using System.Text;
using MailSink.Domain;
using MailSink.Storage;

namespace MailSink.Benchmarks.Million;

/// <summary>
/// Fills a LiteDB file with N realistic messages through the real store (LiteDbMailStore and its single-writer
/// queue), not over SMTP: SMTP would take hours for a million. Summaries are built directly (no MimeKit per
/// message, which would dominate the run) but with what the projector would give: decoded subject, addresses,
/// size, snippet and the lower-cased search text of subject, addresses and body. Raw bodies are ~3 KB of words
/// from a vocabulary, so zstd sees text, not repeated bytes.
/// </summary>
internal static class MillionGenerator
{
    /// <summary>Subject and body words. Each subject takes 4-7 of them, so one word is in ~2.7% of subjects.</summary>
    public static readonly string[] Vocabulary = BuildVocabulary();

    private static readonly string[] Senders =
        ["billing", "noreply", "alerts", "support", "newsletter", "orders", "jenkins", "calendar", "hr", "security"];

    private static readonly string[] Domains =
        ["shop.example", "bank.example", "ci.example.org", "news.example.net", "corp.example", "mail.example.com"];

    private static readonly string[] Names =
        ["Alice Martin", "Bob Chen", "Carla Diaz", "Deepak Rao", "Eve Novak", "Farid Haddad", "Grace Kim", "Hugo Weber"];

    /// <summary>Generates <paramref name="count"/> messages; returns the raw bytes written.</summary>
    public static async Task<long> RunAsync(IMailStore store, int count, int batch, int seed, Action<string> log)
    {
        var random = new Random(seed);
        var ids = new MessageIdGenerator(TimeProvider.System);

        // Newest message received "now", one every ~0.5 s before it, like a busy CI mailbox.
        var start = DateTimeOffset.UtcNow - TimeSpan.FromMilliseconds(500.0 * count);
        long rawBytes = 0;
        var watch = Stopwatch.StartNew();
        var pending = new List<Task>(batch);
        for (var i = 0; i < count; i++)
        {
            var (summary, raw) = Make(random, ids.Next(), start + TimeSpan.FromMilliseconds(500.0 * i + random.Next(400)));
            rawBytes += raw.Length;
            pending.Add(store.AddMessageAsync(summary, raw, CancellationToken.None));
            if (pending.Count == batch)
            {
                await Task.WhenAll(pending);
                pending.Clear();
                if ((i + 1) % 100_000 == 0)
                {
                    log($"  {i + 1:N0} messages, {watch.Elapsed.TotalSeconds:F0} s, {(i + 1) / watch.Elapsed.TotalSeconds:F0} msg/s");
                }
            }
        }

        await Task.WhenAll(pending);
        return rawBytes;
    }

    private static (MessageSummary Summary, byte[] Raw) Make(Random random, string id, DateTimeOffset receivedAt)
    {
        var subject = Words(random, random.Next(4, 8), capitalize: true);
        var senderName = Names[random.Next(Names.Length)];
        var from = new EmailAddress(senderName, $"{Senders[random.Next(Senders.Length)]}@{Domains[random.Next(Domains.Length)]}");
        var to = new EmailAddress("", $"user{random.Next(500)}@dev.example");
        var body = new StringBuilder();
        while (body.Length < 2600)
        {
            body.Append(Words(random, random.Next(8, 16), capitalize: true)).Append(".\r\n");
        }

        var text = body.ToString();
        var headers =
            $"Received: from client.example (localhost [127.0.0.1])\r\n\tby mailsink (MailSink) with ESMTP id {id}; {receivedAt:R}\r\n" +
            $"From: \"{from.Name}\" <{from.Address}>\r\nTo: {to.Address}\r\nSubject: {subject}\r\n" +
            $"Date: {receivedAt:R}\r\nMessage-ID: <{id}@client.example>\r\nMIME-Version: 1.0\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n";
        var raw = Encoding.UTF8.GetBytes(headers + text);
        var collapsed = text.Replace("\r\n", " ", StringComparison.Ordinal);
        var summary = new MessageSummary
        {
            Id = id,
            SessionId = "s" + id,
            ReceivedAt = receivedAt,
            From = from,
            To = [to],
            Subject = subject,
            Date = receivedAt,
            MessageId = id + "@client.example",
            Size = raw.Length,
            HasText = true,
            Snippet = collapsed[..200],
            Envelope = new Envelope { MailFrom = from.Address, RcptTo = [to.Address] },
            SearchText = $"{subject} {from.Name} {from.Address} {to.Address} {collapsed}".ToLowerInvariant(),
        };
        return (summary, raw);
    }

    private static string Words(Random random, int count, bool capitalize)
    {
        var words = new string[count];
        for (var i = 0; i < count; i++)
        {
            words[i] = Vocabulary[random.Next(Vocabulary.Length)];
        }

        if (capitalize)
        {
            words[0] = char.ToUpperInvariant(words[0][0]) + words[0][1..];
        }

        return string.Join(' ', words);
    }

    private static string[] BuildVocabulary()
    {
        // 200 distinct lower-case words: 40 stems with 5 endings (English-like, compressible like real text).
        string[] stems =
        [
            "invoice", "order", "report", "deploy", "build", "meeting", "account", "payment", "review", "release",
            "ticket", "update", "server", "backup", "client", "project", "budget", "contract", "schedule", "password",
            "quarter", "summary", "alert", "signup", "welcome", "receipt", "delivery", "shipment", "refund", "survey",
            "webinar", "upgrade", "license", "feature", "request", "approval", "incident", "metric", "session", "profile",
        ];
        string[] endings = ["", "s", "ed", "ing", "ly"];
        return stems.SelectMany(s => endings.Select(e => s + e)).ToArray();
    }
}
