using System.Buffers;
using System.Text;
using CsCheck;
using MailSink.Domain;
using MailSink.Smtp;
using Xunit.Abstractions;

namespace MailSink.Tests.Fuzz;

/// <summary>
/// Property-based fuzzing of the SMTP wire layer (issue 13): the client stream parser, the session
/// recorder that drives it, and the DATA normalizer, fed arbitrary bytes in arbitrary chunks (random bytes
/// mixed with SMTP tokens so DATA, dot-stuffing and line ends are reached). No exception escapes, and
/// what they hand on stays within the bounds they promise.
/// </summary>
public sealed class WireFuzzTests(ITestOutputHelper output)
{
    private const int MaxLine = 64;
    private const int MaxMessage = 256;
    private const int DiscardLimit = 1024;

    private static readonly byte[][] Tokens = new[]
    {
        "DATA\r\n", "data \r\n", "\r\n.\r\n", ".\r\n", "..", ".", "\r\n", "\r", "\n", "\r\n\r\n", "MAIL FROM:<a@b.test>\r\n",
        "RCPT TO:<c@d.test>\r\n", "EHLO x\r\n", "AUTH PLAIN\r\n", "AUTH LOGIN dXNlcg==\r\n", "STARTTLS\r\n", "QUIT\r\n", "\0", "\u00e9",
    }.Select(Encoding.UTF8.GetBytes).ToArray();

    /// <summary>Bytes built from tokens and random runs, cut into chunks of random sizes.</summary>
    private static readonly Gen<(byte[] Input, int[] Cuts, bool[] Accepts)> Stream =
        Gen.Frequency((3, Gen.OneOf(Tokens)), (1, Gen.Byte.Array[1, 80]), (1, Gen.Const('x').Select(c => Enumerable.Repeat((byte)c, 70).ToArray())))
            .Array[0, 80]
            .Select(parts => parts.SelectMany(p => p).ToArray())
            .Select(Gen.Int[1, 300].Array[1, 20], Gen.Bool.Array[1, 8]);

    [Fact]
    public void The_client_stream_parser_never_throws_and_keeps_its_bounds_on_arbitrary_bytes() =>
        FuzzCampaign.Run(output, "ClientStreamParser", Stream, input =>
        {
            var parser = new ClientStreamParser(MaxLine, MaxMessage, DiscardLimit);
            var buffer = new byte[4096];
            long forwarded = 0;
            var dataEnds = 0;
            var decisions = 0;
            foreach (var chunk in Chunks(input.Input, input.Cuts))
            {
                parser.Append(chunk);
                while (true)
                {
                    while (parser.TryRead(out var item))
                    {
                        dataEnds += Check(item);
                    }

                    if (!parser.IsAwaitingDataReply)
                    {
                        break;
                    }

                    parser.DataReply(input.Accepts[decisions++ % input.Accepts.Length]);
                }

                int n;
                while ((n = parser.Output.Take(buffer)) > 0)
                {
                    forwarded += n;
                }
            }

            // Content goes on at most as sent, plus a stand-in end (at most 6 bytes) per DATA.
            Assert.True(forwarded <= input.Input.Length + 6L * dataEnds, $"{forwarded} bytes forwarded from {input.Input.Length}");
        });

    [Fact]
    public void The_session_recorder_never_throws_on_arbitrary_client_bytes_and_server_replies() =>
        FuzzCampaign.Run(output, "SessionRecorder", Stream.Select(Gen.OneOf(Replies).Array[1, 12]), input =>
        {
            var ((bytes, cuts, _), replies) = input;
            var limits = new SessionLimits(MaxMessage, DiscardLimit, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), 100, false);
            var recorder = new SessionRecorder(new SessionRecord { Id = "FUZZ", StartedAt = DateTimeOffset.UtcNow }, TimeProvider.System, MaxLine, limits);
            recorder.RecordGreetingOrReply("220 sink.test ESMTP\r\n"u8);
            var buffer = new byte[4096];
            var i = 0;
            foreach (var chunk in Chunks(bytes, cuts))
            {
                recorder.RecordClientBytes(chunk);
                while (recorder.TakeLibraryInput(buffer) > 0)
                {
                }

                recorder.RecordGreetingOrReply(replies[i++ % replies.Length]);
                _ = recorder.NextReadDeadline();
            }

            var record = recorder.Complete(SessionOutcome.Quit, null);
            Assert.True(record.Lines.Count <= 100, $"{record.Lines.Count} transcript lines kept with a cap of 100");
        });

    [Fact]
    public void The_DATA_normalizer_gives_back_the_content_unstuffed_with_its_final_CRLF_for_any_segmentation() =>
        FuzzCampaign.Run(output, "DataNormalizer", Stream, input =>
        {
            var sequence = Segments(input.Input, input.Cuts);
            var normalized = DataNormalizer.Normalize(sequence);

            var body = input.Input.Length > 0 && input.Input[0] == (byte)'.' ? input.Input[1..] : input.Input;
            byte[] expected = body.Length == 0 ? [] : [.. body, (byte)'\r', (byte)'\n'];
            Assert.Equal(expected, normalized);
        });

    private static readonly byte[][] Replies = new[]
    {
        "250 ok\r\n", "250-sink.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n", "354 go ahead\r\n", "334 VXNlcm5hbWU6\r\n", "334 \r\n",
        "235 ok\r\n", "221 bye\r\n", "421 4.4.2 timeout\r\n", "500 5.5.2 Line too long\r\n", "554 \r\n", "552 5.3.4 too big\r\n", "2", "\r\n", "x\0y\r\n",
    }.Select(Encoding.UTF8.GetBytes).ToArray();

    /// <summary>The checks each item must pass; returns 1 for the end of a DATA.</summary>
    private static int Check(ClientItem item)
    {
        switch (item.Kind)
        {
            case ClientItemKind.CommandLine:
                Assert.NotNull(item.Raw);
                Assert.True(item.Raw!.Length - 2 <= MaxLine, $"a {item.Raw.Length}-byte command line passed a limit of {MaxLine}");
                Assert.True(item.Raw.AsSpan().EndsWith("\r\n"u8));
                Assert.DoesNotContain("\r\n", item.Text!, StringComparison.Ordinal);
                return 0;
            case ClientItemKind.LineTooLong:
                Assert.True(item.Bytes > MaxLine);
                return 0;
            case ClientItemKind.DataComplete:
                Assert.True(item.Bytes >= 0);
                Assert.Equal(item.Bytes > MaxMessage, item.Oversize);
                return 1;
            default:
                Assert.True(item.Bytes > DiscardLimit);
                return 0;
        }
    }

    private static IEnumerable<byte[]> Chunks(byte[] input, int[] cuts)
    {
        var at = 0;
        for (var i = 0; at < input.Length; i++)
        {
            var length = Math.Min(cuts[i % cuts.Length], input.Length - at);
            yield return input[at..(at + length)];
            at += length;
        }
    }

    /// <summary>A sequence of segments cut at the given sizes, with an empty segment first when the first cut is odd.</summary>
    private static ReadOnlySequence<byte> Segments(byte[] input, int[] cuts)
    {
        var parts = Chunks(input, cuts).ToList();
        if (cuts[0] % 2 == 1)
        {
            parts.Insert(0, []);
        }

        if (parts.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(parts[0], 0);
        var last = first;
        foreach (var part in parts.Skip(1))
        {
            last = last.Append(part);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
