using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using MailKit.Security;
using MailSink.Tests.TestHost;
using Xunit.Abstractions;
using static MailSink.Tests.TestHost.HostileWire;

namespace MailSink.Tests.Smtp;

/// <summary>
/// Issue 13's hostile SMTP suite against the real process: floods without CRLF, binary garbage, pipelined
/// floods, slow-loris, more connections than the limit, TLS garbage. Each attack gets a precise reply or a
/// close, the process stays up with bounded memory (read from /proc), and a normal MailKit client is served
/// meanwhile. What existed before is not repeated here: RawProtocolTests, OversizeMessageTests,
/// RecipientLimitTests, AuthProtocolTests, SlowClientTimeoutTests, TlsHandshakeTimeoutTests.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class HostileClientTests(HostileProcess sink, ITestOutputHelper output) : IClassFixture<HostileProcess>
{
    private const int HundredMegabytes = 100 * 1000 * 1000;

    /// <summary>Growth allowed while 100 MB go by: well under the 100 MB, well over what the discarding should need.</summary>
    private const long MemoryGrowthBound = 64 * 1024 * 1024;

    private static readonly TimeSpan Generous = HostileWire.Generous;

    [Fact]
    public async Task A_100_MB_command_line_without_CRLF_gets_500_5_5_2_or_a_close_and_memory_stays_bounded()
    {
        using var tcp = await ConnectAsync(sink.SmtpPort);
        var stream = tcp.GetStream();
        var received = ReadUntilClosedAsync(stream);
        var before = sink.ResidentBytes();
        var attack = WriteFloodAsync(stream, HundredMegabytes, "EHLO "u8.ToArray(), []);
        var peak = await sink.PeakResidentBytesAsync(Task.WhenAll(attack, received));
        var written = await attack;

        var replies = await received;
        output.WriteLine($"command line flood: the server closed after {written / 1024} KiB written; RSS {Mb(before)} -> peak {Mb(peak)}; replies: {replies.Trim()}");
        Assert.Contains("500 5.5.2", replies, StringComparison.Ordinal);
        Assert.True(peak - before < MemoryGrowthBound, $"RSS grew by {Mb(peak - before)} during a command line without CRLF");
        Assert.True(sink.Process.IsRunning);
        await AssertServedAsync(sink.SmtpPort, "after the command line flood");
    }

    [Fact]
    public async Task A_100_MB_DATA_line_without_CRLF_is_discarded_with_552_or_a_close_and_memory_stays_bounded()
    {
        using var tcp = await ConnectAsync(sink.SmtpPort);
        var stream = tcp.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
        await ExpectAsync(reader, "220 ");
        foreach (var (line, code) in new[] { ("EHLO flood.test", "250 "), ("MAIL FROM:<flood@example.test>", "250 "), ("RCPT TO:<sink@example.test>", "250 "), ("DATA", "354 ") })
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"));
            await ExpectAsync(reader, code);
        }

        var before = sink.ResidentBytes();
        var attack = WriteFloodAsync(stream, HundredMegabytes, [], "\r\n.\r\n"u8.ToArray());
        var bystanders = Bystander.ServeDuringAsync(attack, sink.SmtpPort);
        var peak = await sink.PeakResidentBytesAsync(attack);
        var written = await attack;
        var reply = await ReadRestAsync(reader);

        output.WriteLine($"DATA flood: {written / 1024 / 1024} MiB written before the end or the close; RSS {Mb(before)} -> peak {Mb(peak)}; reply: '{reply.Trim()}'");
        Assert.True(reply.StartsWith("552 5.3.4", StringComparison.Ordinal) || reply.Length == 0, $"neither 552 5.3.4 nor a close: '{reply}'");
        Assert.True(peak - before < MemoryGrowthBound, $"RSS grew by {Mb(peak - before)} during a DATA line without CRLF");
        (await bystanders).AssertServed(output, "a 100 MB DATA flood");
    }

    [Theory]
    [InlineData("no line endings")]
    [InlineData("CRLF every few bytes")]
    public async Task Binary_garbage_with_NULs_as_commands_gets_error_replies_and_a_close_while_others_are_served(string shape)
    {
        var random = new Random(13);
        var garbage = new byte[1024 * 1024];
        random.NextBytes(garbage);
        if (shape == "CRLF every few bytes")
        {
            for (var i = random.Next(100); i < garbage.Length - 1; i += 2 + random.Next(100))
            {
                (garbage[i], garbage[i + 1]) = ((byte)'\r', (byte)'\n');
            }
        }

        using var tcp = await ConnectAsync(sink.SmtpPort);
        var stream = tcp.GetStream();
        var received = ReadUntilClosedAsync(stream);
        var attack = WriteAllAsync(stream, garbage);
        var bystanders = Bystander.ServeDuringAsync(received, sink.SmtpPort);
        var replies = (await received).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        await attack;

        output.WriteLine($"garbage ({shape}): {string.Join(" | ", replies)}");
        Assert.StartsWith("220 ", replies[0], StringComparison.Ordinal);
        Assert.All(replies.Skip(1), r => Assert.Matches("^(5[0-9][0-9]|421)[ -]", r));
        Assert.True(replies.Length > 1, "the garbage got no reply before the close");
        (await bystanders).AssertServed(output, $"binary garbage ({shape})");
        Assert.True(sink.Process.IsRunning);
    }

    [Fact]
    public async Task Fifty_thousand_pipelined_NOOPs_are_each_answered_250_in_order_while_others_are_served()
    {
        const int count = 50_000;
        using var tcp = await ConnectAsync(sink.SmtpPort);
        var stream = tcp.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
        await ExpectAsync(reader, "220 ");
        var watch = Stopwatch.StartNew();
        var flood = WriteAllAsync(stream, Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("NOOP\r\n", count))));

        var answered = ReadRepliesAsync(reader, count);
        var bystanders = Bystander.ServeDuringAsync(answered, sink.SmtpPort);
        Assert.Equal(count, await answered);
        await flood;
        output.WriteLine($"{count} pipelined NOOPs answered in {watch.Elapsed.TotalSeconds:F1} s");

        await stream.WriteAsync("QUIT\r\n"u8.ToArray());
        await ExpectAsync(reader, "221 ");
        (await bystanders).AssertServed(output, "a pipelined NOOP flood");
    }

    [Fact]
    public async Task Slow_loris_connections_dribbling_a_byte_a_second_each_get_421_4_4_2_and_do_not_starve_a_normal_client()
    {
        const int loris = 100;
        var watch = Stopwatch.StartNew();
        var attack = Task.WhenAll(Enumerable.Range(0, loris).Select(_ => LorisAsync()));
        var bystanders = Bystander.ServeDuringAsync(attack, sink.SmtpPort);
        var outcomes = await attack;

        output.WriteLine($"{loris} slow-loris connections all closed within {watch.Elapsed.TotalSeconds:F1} s (command timeout {HostileProcess.CommandTimeout.TotalSeconds} s); they sent {outcomes.Min()}-{outcomes.Max()} bytes each");
        (await bystanders).AssertServed(output, $"{loris} slow-loris connections");

        async Task<int> LorisAsync()
        {
            using var tcp = await ConnectAsync(sink.SmtpPort);
            var stream = tcp.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
            await ExpectAsync(reader, "220 ");
            var reply = reader.ReadLineAsync();
            var sent = 0;
            var dribble = Stopwatch.StartNew();
            foreach (var b in "MAIL FROM:<loris@example.test>"u8.ToArray())
            {
                if (await Task.WhenAny(reply, Task.Delay(1000)) == reply)
                {
                    break;
                }

                await stream.WriteAsync(new[] { b });
                sent++;
            }

            var line = await reply.WaitAsync(Generous);
            Assert.StartsWith("421 4.4.2", line, StringComparison.Ordinal);
            Assert.InRange(dribble.Elapsed, HostileProcess.CommandTimeout * 0.8, Generous);
            Assert.Null(await reader.ReadLineAsync().WaitAsync(Generous));
            return sent;
        }
    }

    [Fact]
    public async Task Six_hundred_connections_to_the_plain_port_get_500_greetings_and_100_421_4_7_0_while_submission_serves()
    {
        var clients = new List<TcpClient>();
        try
        {
            var greetings = new List<string>();
            for (var i = 0; i < 600; i++)
            {
                // One at a time, so which ones are over the limit is certain: the last hundred.
                var tcp = await ConnectAsync(sink.SmtpPort);
                clients.Add(tcp);
                var reader = new StreamReader(tcp.GetStream(), Encoding.ASCII, leaveOpen: true);
                greetings.Add(await reader.ReadLineAsync().WaitAsync(Generous) ?? "(closed)");
            }

            var held = Task.Delay(TimeSpan.FromSeconds(2));
            var bystanders = Bystander.ServeDuringAsync(held, sink.SubmissionPort, SecureSocketOptions.StartTls);
            output.WriteLine($"600 connections: {greetings.Count(g => g.StartsWith("220 ", StringComparison.Ordinal))} greeted, " +
                             $"{greetings.Count(g => g.StartsWith("421 4.7.0", StringComparison.Ordinal))} told 421 4.7.0; excess reply: '{greetings[^1]}'");
            Assert.All(greetings.Take(500), g => Assert.StartsWith("220 ", g, StringComparison.Ordinal));
            Assert.All(greetings.Skip(500), g => Assert.StartsWith("421 4.7.0", g, StringComparison.Ordinal));
            (await bystanders).AssertServed(output, "600 connections on the plain port (submission)");
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }

        // The slots come back once the connections go.
        await AssertServedAsync(sink.SmtpPort, "after the 600 connections closed");
    }

    [Fact]
    public async Task TLS_garbage_on_the_implicit_TLS_port_gets_no_plaintext_reply_and_a_close_while_TLS_clients_are_served()
    {
        using var tcp = await ConnectAsync(sink.SmtpsPort);
        var stream = tcp.GetStream();
        var received = ReadUntilClosedAsync(stream);
        var attack = WriteAllAsync(stream, TlsGarbage());
        var bystanders = Bystander.ServeDuringAsync(received, sink.SmtpsPort, SecureSocketOptions.SslOnConnect);

        var reply = await received;
        await attack;
        Assert.DoesNotMatch("^[0-9]{3}[ -]", reply);
        (await bystanders).AssertServed(output, "TLS garbage on the implicit TLS port");
    }

    [Fact]
    public async Task TLS_garbage_after_STARTTLS_closes_that_connection_while_other_STARTTLS_clients_are_served()
    {
        using var tcp = await ConnectAsync(sink.SubmissionPort);
        var stream = tcp.GetStream();
        var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
        await ExpectAsync(reader, "220 ");
        await stream.WriteAsync("EHLO garbage.test\r\n"u8.ToArray());
        await ExpectAsync(reader, "250 ");
        await stream.WriteAsync("STARTTLS\r\n"u8.ToArray());
        await ExpectAsync(reader, "220 ");

        var received = ReadUntilClosedAsync(stream);
        var attack = WriteAllAsync(stream, TlsGarbage());
        var bystanders = Bystander.ServeDuringAsync(received, sink.SubmissionPort, SecureSocketOptions.StartTls);
        Assert.DoesNotMatch("^[0-9]{3}[ -]", await received);
        await attack;
        (await bystanders).AssertServed(output, "TLS garbage after STARTTLS");
    }

    private static async Task<int> ReadRepliesAsync(StreamReader reader, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var line = await reader.ReadLineAsync().WaitAsync(Generous);
            Assert.True(line is not null && line.StartsWith("250 ", StringComparison.Ordinal), $"NOOP {i + 1}: '{line}'");
        }

        return count;
    }

    private static async Task AssertServedAsync(int port, string when)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await SmtpSending.SendOneAsync(port, SmtpSending.NewMessage(when));
                return;
            }
            catch (MailKit.Net.Smtp.SmtpCommandException) when (deadline.Elapsed < Generous)
            {
                // 421 while the closed connections are still being counted down.
                await Task.Delay(200);
            }
        }
    }

    private static string Mb(long bytes) => $"{bytes / 1024.0 / 1024.0:F0} MiB";
}
