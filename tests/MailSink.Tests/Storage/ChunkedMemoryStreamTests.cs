using MailSink.Storage;

namespace MailSink.Tests.Storage;

/// <summary>
/// The memory store's stream behaves as a MemoryStream (what LiteDB was given before) under the same operations,
/// across chunk boundaries, and gives its chunks back when cut.
/// </summary>
public sealed class ChunkedMemoryStreamTests
{
    private const int Chunk = ChunkedMemoryStream.ChunkSize;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_writes_seeks_reads_and_cuts_match_a_MemoryStream(int seed)
    {
        var random = new Random(seed);
        using var expected = new MemoryStream();
        using var actual = new ChunkedMemoryStream(maxSpareChunks: seed);
        for (var step = 0; step < 400; step++)
        {
            switch (random.Next(4))
            {
                case 0:
                    // Page-sized writes as LiteDB does, and odd sizes across a chunk edge.
                    var data = new byte[random.Next(2) == 0 ? 8192 : random.Next(1, 3 * Chunk / 2)];
                    random.NextBytes(data);
                    var at = random.Next(0, (int)Math.Min(int.MaxValue, expected.Length + Chunk));
                    expected.Position = actual.Position = at;
                    expected.Write(data);
                    actual.Write(data);
                    break;
                case 1:
                    var from = random.Next(0, (int)expected.Length + 10);
                    var count = random.Next(0, 2 * Chunk);
                    Assert.Equal(expected.Seek(from, SeekOrigin.Begin), actual.Seek(from, SeekOrigin.Begin));
                    var a = new byte[count];
                    var b = new byte[count];
                    Assert.Equal(expected.Read(a, 0, count), actual.Read(b, 0, count));
                    Assert.Equal(a, b);
                    break;
                case 2:
                    var length = random.Next(0, (int)expected.Length + Chunk);
                    expected.SetLength(length);
                    actual.SetLength(length);
                    break;
                default:
                    var back = -random.Next(0, (int)expected.Length + 1);
                    Assert.Equal(expected.Seek(back, SeekOrigin.End), actual.Seek(back, SeekOrigin.End));
                    break;
            }

            Assert.Equal(expected.Length, actual.Length);
            Assert.Equal(expected.Position, actual.Position);
        }

        Assert.Equal(expected.ToArray(), ReadAll(actual));
    }

    [Fact]
    public void Cutting_the_stream_frees_its_chunks_and_regrowing_reads_zeros()
    {
        using var stream = new ChunkedMemoryStream();
        stream.Write(Enumerable.Repeat((byte)0xAB, 3 * Chunk + 100).ToArray());
        Assert.Equal(4L * Chunk, stream.AllocatedBytes);

        stream.SetLength(Chunk + 10);
        Assert.Equal(2L * Chunk, stream.AllocatedBytes);

        stream.SetLength(2 * Chunk);
        var tail = new byte[Chunk - 10];
        stream.Position = Chunk + 10;
        Assert.Equal(tail.Length, stream.Read(tail));
        Assert.All(tail, b => Assert.Equal(0, b));

        stream.SetLength(0);
        Assert.Equal(0, stream.AllocatedBytes);
        Assert.Equal(0, stream.Read(new byte[10]));
    }

    [Fact]
    public void A_cut_log_keeps_its_spare_chunks_for_reuse_and_they_read_as_zeros()
    {
        using var stream = new ChunkedMemoryStream(maxSpareChunks: 2);
        stream.Write(Enumerable.Repeat((byte)0xCD, 3 * Chunk).ToArray());

        stream.SetLength(0);
        Assert.Equal(2L * Chunk, stream.AllocatedBytes);

        stream.SetLength(Chunk + 1);
        stream.Position = 0;
        var back = new byte[Chunk + 1];
        Assert.Equal(back.Length, stream.Read(back));
        Assert.All(back, b => Assert.Equal(0, b));
        Assert.Equal(2L * Chunk, stream.AllocatedBytes);

        stream.SetLength(0);
        stream.ReleaseSpareChunks();
        Assert.Equal(0, stream.AllocatedBytes);
    }

    private static byte[] ReadAll(Stream stream)
    {
        stream.Position = 0;
        var result = new byte[stream.Length];
        Assert.Equal(result.Length, stream.Read(result));
        return result;
    }
}
