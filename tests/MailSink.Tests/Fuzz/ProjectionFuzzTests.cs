using System.Text;
using CsCheck;
using MailSink.Domain;
using MailSink.Mime;
using MailSink.Tests.Mime;
using MailSink.Tests.Storage;
using Xunit.Abstractions;

namespace MailSink.Tests.Fuzz;

/// <summary>
/// Property-based fuzzing of the MIME projection (issue 13): the corpus (tests/TestData/corpus) mutated at
/// random (bytes flipped, MIME tokens inserted, spans cut, doubled, truncated) is projected without an
/// exception escaping, and the store keeps the raw bytes exactly, whatever MimeKit made of them.
/// </summary>
public sealed class ProjectionFuzzTests(ITestOutputHelper output)
{
    private static readonly byte[][] CorpusMessages = Corpus.MessageFiles.Select(Corpus.ReadAsCrlf).ToArray();

    private static readonly byte[][] Tokens = new[]
    {
        "\r\n--", "--\r\n", "\r\n\r\n", "boundary=\"b\"", "Content-Type: multipart/mixed; boundary=\"b\"\r\n", "Content-Type: message/rfc822\r\n",
        "Content-Transfer-Encoding: base64\r\n", "Content-Transfer-Encoding: quoted-printable\r\n", "=?utf-8?B?", "=?iso-2022-jp?Q?=1B$B", "?=",
        "charset=\"x-unknown\"", "charset=utf-16", "=\r\n", "=ZZ", "Content-ID: <../../etc/passwd>\r\n", "filename*0*=utf-8''%FF%FE",
        "Received: from x by y; Mon, 99 Foo 2026 25:61:61 +9999\r\n", "Date: \r\n", "From: \"\r\n", "<", ">", ";", "\0", "\r", "\n", "\t",
    }.Select(Encoding.UTF8.GetBytes).ToArray();

    private enum Mutation
    {
        Flip,
        Insert,
        Cut,
        Double,
        Truncate,
    }

    private static readonly Gen<(Mutation Kind, double At, int Length, int Token, byte Byte)> OneMutation =
        Gen.Select(Gen.Enum<Mutation>(), Gen.Double[0, 1], Gen.Int[1, 400], Gen.Int[0, Tokens.Length - 1], Gen.Byte);

    /// <summary>A corpus message with up to 8 mutations applied.</summary>
    private static readonly Gen<byte[]> Mutated =
        Gen.Select(Gen.Int[0, CorpusMessages.Length - 1], OneMutation.Array[0, 8], (file, mutations) => mutations.Aggregate(CorpusMessages[file], Apply));

    [Fact]
    public void Projecting_a_mutated_corpus_message_never_throws_and_counts_every_raw_byte() =>
        FuzzCampaign.Run(output, "MessageProjector", Mutated, raw =>
        {
            var summary = MessageProjector.Project(raw, new Envelope { MailFrom = "fuzz@example.test", RcptTo = ["sink@example.test"] });
            Assert.Equal(raw.Length, summary.Size);
            Assert.NotNull(summary.SearchText);
        }, shortIterations: 1500);

    [Fact]
    public async Task A_mutated_corpus_message_is_stored_and_read_back_byte_for_byte()
    {
        await using var store = TestStores.Open("memory");
        var n = 0;
        await FuzzCampaign.RunAsync(output, "projection + store", Mutated, async raw =>
        {
            var summary = MessageProjector.Project(raw, new Envelope { MailFrom = "fuzz@example.test", RcptTo = ["sink@example.test"] });
            summary.Id = $"F{Interlocked.Increment(ref n):D15}";
            summary.SessionId = "S" + summary.Id;
            summary.ReceivedAt = DateTimeOffset.UtcNow;
            await store.AddMessageAsync(summary, raw, CancellationToken.None);
            Assert.Equal(raw, await store.GetRawAsync(summary.Id, CancellationToken.None));
        }, shortIterations: 200);
    }

    private static byte[] Apply(byte[] raw, (Mutation Kind, double At, int Length, int Token, byte Byte) m)
    {
        var at = (int)(m.At * raw.Length);
        var length = Math.Min(m.Length, raw.Length - at);
        return m.Kind switch
        {
            Mutation.Flip when at < raw.Length => [.. raw[..at], m.Byte, .. raw[(at + 1)..]],
            Mutation.Insert => [.. raw[..at], .. Tokens[m.Token], .. raw[at..]],
            Mutation.Cut => [.. raw[..at], .. raw[(at + length)..]],
            Mutation.Double => [.. raw[..(at + length)], .. raw[at..]],
            Mutation.Truncate => raw[..at],
            _ => raw,
        };
    }
}
