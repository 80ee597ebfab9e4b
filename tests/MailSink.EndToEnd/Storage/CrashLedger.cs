using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using MailSink.EndToEnd.Browser.Infrastructure;

namespace MailSink.EndToEnd.Storage;

/// <summary>
/// What a crash run sent and what the server said: every message is unique by its Subject ("{prefix}-{n}"),
/// its exact bytes are kept, and it is either acknowledged (a 250 with its id) or in doubt (the process
/// died before the reply). After a restart <see cref="VerifyAsync"/> reads the store back through the API.
/// </summary>
internal sealed class CrashLedger(string prefix)
{
    private readonly ConcurrentDictionary<string, byte[]> _sent = new();
    private readonly ConcurrentDictionary<string, string> _acked = new();
    private readonly ConcurrentDictionary<string, byte> _inDoubt = new();
    private readonly ConcurrentQueue<string> _ackOrder = new();
    private int _next;

    public int AckedCount => _acked.Count;

    public int InDoubtCount => _inDoubt.Count;

    /// <summary>The subject acknowledged last, or null.</summary>
    public string? LastAcked => _ackOrder.LastOrDefault();

    /// <summary>A new message with a unique subject and a body of a few KB (deterministic from its number).</summary>
    public (string Subject, byte[] Bytes) NewMessage()
    {
        var n = Interlocked.Increment(ref _next);
        var subject = $"{prefix}-{n}";
        var random = new Random(n ^ prefix.GetHashCode(StringComparison.Ordinal));
        var body = new StringBuilder();
        for (var line = 0; line < 20 + random.Next(60); line++)
        {
            for (var c = 0; c < 70; c++)
            {
                body.Append((char)('a' + random.Next(26)));
            }

            body.Append("\r\n");
        }

        var text = $"From: crash@example.test\r\nTo: sink@example.test\r\nSubject: {subject}\r\n" +
                   $"Message-ID: <{subject}@crash.example.test>\r\nDate: Mon, 30 Nov 2026 03:00:00 +0000\r\n" +
                   $"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n{body}";
        var bytes = Encoding.ASCII.GetBytes(text);
        _sent[subject] = bytes;
        _inDoubt[subject] = 0;
        return (subject, bytes);
    }

    public void Acked(string subject, string id)
    {
        _acked[subject] = id;
        _inDoubt.TryRemove(subject, out _);
        _ackOrder.Enqueue(subject);
    }

    /// <summary>A send that failed with a reply other than 250 (never expected) is not in doubt: it must be absent.</summary>
    public void Refused(string subject) => _inDoubt.TryRemove(subject, out _);

    /// <summary>
    /// Reads every stored message back: each present one byte-equal to what was sent, none twice, every
    /// acknowledged one present unless <paramref name="mayBePruned"/>. Messages in doubt may be present or not.
    /// </summary>
    public async Task<CrashCheck> VerifyAsync(MailSinkHost host, bool mayBePruned)
    {
        var listed = await ListAllAsync(host);
        var bySubject = listed.GroupBy(m => m.Subject).ToDictionary(g => g.Key, g => g.Select(m => m.Id).ToList());
        var duplicated = bySubject.Where(g => g.Value.Count > 1).Select(g => $"{g.Key} x{g.Value.Count}").ToList();
        Assert.True(duplicated.Count == 0, "stored twice: " + string.Join(", ", duplicated));

        var unknown = bySubject.Keys.Where(s => !_sent.ContainsKey(s)).ToList();
        Assert.True(unknown.Count == 0, "stored but never sent: " + string.Join(", ", unknown));

        var missing = new List<string>();
        var pruned = 0;
        foreach (var (subject, id) in _acked)
        {
            if (!bySubject.TryGetValue(subject, out var ids))
            {
                if (!mayBePruned)
                {
                    missing.Add($"{subject} ({id})");
                }

                pruned++;
                continue;
            }

            Assert.True(ids[0] == id, $"{subject} was acknowledged as {id} but is stored as {ids[0]}");
        }

        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged messages are gone after the restart: " + string.Join(", ", missing.Take(20)));

        var inDoubtStored = 0;
        foreach (var (subject, ids) in bySubject)
        {
            var raw = await GetRawAsync(host, ids[0]);
            var content = WithoutReceivedHeader(raw);
            Assert.True(content.AsSpan().SequenceEqual(_sent[subject]), $"{subject} ({ids[0]}): the stored bytes differ from the bytes sent ({content.Length} vs {_sent[subject].Length})");
            if (!_acked.ContainsKey(subject))
            {
                inDoubtStored++;
            }
        }

        return new CrashCheck(listed.Count, _acked.Count, pruned, inDoubtStored, _inDoubt.Count);
    }

    public static async Task<List<(string Id, string Subject)>> ListAllAsync(MailSinkHost host)
    {
        var result = new List<(string, string)>();
        while (true)
        {
            using var response = await host.Http.GetAsync($"api/v1/messages?start={result.Count}&limit=1000");
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"list: {(int)response.StatusCode} {body}");
            using var page = JsonDocument.Parse(body);
            var messages = page.RootElement.GetProperty("messages");
            foreach (var m in messages.EnumerateArray())
            {
                result.Add((m.GetProperty("ID").GetString()!, m.GetProperty("Subject").GetString()!));
            }

            if (messages.GetArrayLength() == 0 || result.Count >= page.RootElement.GetProperty("messages_count").GetInt32())
            {
                return result;
            }
        }
    }

    private static async Task<byte[]> GetRawAsync(MailSinkHost host, string id)
    {
        using var response = await host.Http.GetAsync($"api/v1/message/{id}/raw");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"raw {id}: {(int)response.StatusCode}");
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>MailSink prepends one Received header (with folded lines); the rest is what the client sent.</summary>
    private static byte[] WithoutReceivedHeader(byte[] raw)
    {
        Assert.True(raw.AsSpan().StartsWith("Received: "u8), "the stored message does not start with MailSink's Received header");
        var i = 0;
        do
        {
            i = Array.IndexOf(raw, (byte)'\n', i) + 1;
            Assert.True(i > 0, "the Received header never ends");
        }
        while (i < raw.Length && raw[i] is (byte)' ' or (byte)'\t');

        return raw[i..];
    }
}

/// <summary>One verification after a restart: stored now, acknowledged so far, acknowledged but pruned, in-doubt ones that were stored, in doubt.</summary>
internal sealed record CrashCheck(int Stored, int Acked, int Pruned, int InDoubtStored, int InDoubt);
