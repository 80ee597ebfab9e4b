using LiteDB;
using MailSink.Storage;

namespace MailSink.Tests.Storage;

/// <summary>
/// The memory store's data stream behaves as a MemoryStream under the same operations (LiteDB's whole pages and odd
/// unaligned ones), keeps compressible pages in a fraction of their size and zero pages in none, and a LiteDB database
/// over it reads back what was written.
/// </summary>
public sealed class CompressedPageStreamTests
{
    private const int Page = CompressedPageStream.PageSize;

    [Theory]
    [InlineData(1, CompressedPageStream.DefaultDirtySlots)]
    [InlineData(2, 4)]
    [InlineData(3, 5)]
    [InlineData(4, 8)]
    public void Random_writes_seeks_reads_and_cuts_match_a_MemoryStream(int seed, int dirtySlots)
    {
        // Few dirty slots: most pages are compressed and read back compressed, and pages move between both states.
        var random = new Random(seed);
        using var expected = new MemoryStream();
        using var actual = new CompressedPageStream(dirtySlots);
        for (var step = 0; step < 600; step++)
        {
            switch (random.Next(4))
            {
                case 0:
                    // Mostly whole pages at page positions, as LiteDB writes; some odd sizes at odd places across pages.
                    var aligned = random.Next(3) > 0;
                    var data = aligned ? PageLike(random) : Bytes(random, random.Next(1, 3 * Page));
                    var at = aligned ? Page * random.Next(0, (int)(expected.Length / Page) + 3) : random.Next(0, (int)expected.Length + 2 * Page);
                    expected.Position = actual.Position = at;
                    expected.Write(data);
                    actual.Write(data);
                    break;
                case 1:
                    var from = random.Next(3) > 0 ? Page * random.Next(0, (int)(expected.Length / Page) + 2) : random.Next(0, (int)expected.Length + 10);
                    var count = random.Next(2) == 0 ? Page : random.Next(0, 3 * Page);
                    Assert.Equal(expected.Seek(from, SeekOrigin.Begin), actual.Seek(from, SeekOrigin.Begin));
                    var a = new byte[count];
                    var b = new byte[count];
                    Assert.Equal(expected.Read(a, 0, count), actual.Read(b, 0, count));
                    Assert.Equal(a, b);
                    break;
                case 2:
                    var length = random.Next(0, (int)expected.Length + 2 * Page);
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
    public void Compressible_pages_take_a_fraction_zero_pages_nothing_and_a_cut_frees_them()
    {
        using var stream = new CompressedPageStream(dirtySlots: 4);
        var text = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 2000).Select(i => $"field{i % 50}=")));
        for (var i = 0; i < 100; i++)
        {
            stream.Position = 2L * i * Page;
            stream.Write(text.AsSpan(0, Page));
        }

        // 199 pages, every other one never written (zeros), the others text.
        Assert.Equal(199L * Page, stream.Length);
        // 4 pages kept as written (4 slots), the 96 others compressed.
        Assert.InRange(stream.AllocatedBytes, 4L * Page + 1, 4L * Page + 96L * Page / 4);

        // Random bytes do not compress: stored as they are, still byte for byte.
        var noise = Bytes(new Random(7), Page);
        stream.Position = Page;
        stream.Write(noise);
        var back = new byte[Page];
        stream.Position = Page;
        Assert.Equal(Page, stream.Read(back));
        Assert.Equal(noise, back);

        stream.SetLength(Page + 10);
        stream.SetLength(2 * Page);
        stream.Position = Page;
        Assert.Equal(Page, stream.Read(back));
        Assert.Equal(noise.AsSpan(0, 10).ToArray(), back.AsSpan(0, 10).ToArray());
        Assert.All(back.AsSpan(10).ToArray(), b => Assert.Equal(0, b));

        stream.SetLength(0);
        Assert.Equal(0, stream.AllocatedBytes);
    }

    [Fact]
    public void A_LiteDB_database_over_it_reads_back_what_was_written_after_checkpoints_and_a_reopen()
    {
        var data = new CompressedPageStream(dirtySlots: 16);
        var log = new ChunkedMemoryStream();
        using (var database = MailDatabase.OpenStream(data, log: log))
        {
            for (var batch = 0; batch < 20; batch++)
            {
                database.Db.BeginTrans();
                for (var i = 0; i < 100; i++)
                {
                    var n = batch * 100 + i;
                    database.Sessions.Insert(new BsonDocument { ["_id"] = $"S{n:D6}", ["SortKey"] = n, ["Transcript"] = $"EHLO client{n}\r\n250 ok\r\n" + new string('x', n % 3000) });
                }

                database.Db.Commit();
                if (batch % 5 == 4)
                {
                    database.Db.Checkpoint();
                }
            }

            database.Reopen();
            Assert.Equal(2000, database.Sessions.Count());
            Assert.Equal(new string('x', 1234 % 3000), database.Sessions.FindById("S001234")["Transcript"].AsString[("EHLO client1234\r\n250 ok\r\n".Length)..]);
            Assert.InRange(data.AllocatedBytes, 1, data.Length / 2);
        }
    }

    /// <summary>A page as LiteDB writes it: a header, some text-like content, then zeros (free space).</summary>
    private static byte[] PageLike(Random random)
    {
        var page = new byte[Page];
        var used = random.Next(0, Page);
        for (var i = 0; i < used; i++)
        {
            page[i] = (byte)('a' + random.Next(8));
        }

        return page;
    }

    private static byte[] Bytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] ReadAll(Stream stream)
    {
        stream.Position = 0;
        var result = new byte[stream.Length];
        Assert.Equal(result.Length, stream.Read(result));
        return result;
    }
}
