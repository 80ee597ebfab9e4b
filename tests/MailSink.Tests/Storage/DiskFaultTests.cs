using MailSink.Domain;
using MailSink.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using static MailSink.Tests.Storage.TestStores;

namespace MailSink.Tests.Storage;

/// <summary>
/// LiteDB itself gets ENOSPC (the free-space check cannot see a disk another program fills between the check and
/// the write): the log stream here refuses writes past a capacity, leaving a torn page as a full disk does.
/// LiteDB 5.0.21 alone answered every later write "page must be writable to support changes" until a restart.
/// </summary>
public sealed class DiskFaultTests
{
    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task A_subject_word_whose_commit_failed_is_recorded_again_by_the_next_message_carrying_it()
    {
        var log = new FullableStream(limit: 512 * 1024);
        await using var store = new LiteDbMailStore(
            MailDatabase.OpenStream(new MemoryStream(), log: log), 256, new MailboxEvents(), TimeProvider.System, NullLogger.Instance);

        // Each message brings a word of its own and a shared one; the disk fills during one of them.
        var n = 1;
        var refused = false;
        for (; n < 200 && !refused; n++)
        {
            try
            {
                await store.AddMessageAsync(Message(n, subject: $"Shared unique{n}"), Big(n), Ct);
            }
            catch (StoreUnavailableException)
            {
                refused = true;
            }
        }

        Assert.True(refused, "the log never ran out of space");
        var failed = n - 1;
        log.Limit = long.MaxValue;

        // The failed message's own word never reached the vocabulary; the writer must not take it for known.
        await store.AddMessageAsync(Message(1_000, subject: $"Again unique{failed}"), Big(1_000), Ct);
        var query = MailSink.Search.SearchQuery.Parse($"subject:unique{failed}");
        var found = await store.ListMessagesAsync(0, 10, query, query.Predicate, Ct);
        Assert.Equal([Message(1_000).Id], found.Items.Select(m => m.Id));
        query = MailSink.Search.SearchQuery.Parse("subject:shared");
        Assert.Equal(failed - 1, (await store.ListMessagesAsync(0, 1000, query, query.Predicate, Ct)).Total);
    }

    [Fact]
    public async Task An_IO_error_inside_LiteDB_fails_that_write_keeps_reads_and_later_writes_work_once_space_returns()
    {
        var log = new FullableStream(limit: 512 * 1024);
        await using var store = new LiteDbMailStore(
            MailDatabase.OpenStream(new MemoryStream(), log: log), 256, new MailboxEvents(), TimeProvider.System, NullLogger.Instance);

        var acknowledged = new List<int>();
        var n = 1;
        StoreUnavailableException? refused = null;
        for (; n < 200 && refused is null; n++)
        {
            try
            {
                await store.AddMessageAsync(Message(n), Big(n), Ct);
                acknowledged.Add(n);
            }
            catch (StoreUnavailableException ex)
            {
                refused = ex;
            }
        }

        Assert.NotNull(refused);
        Assert.True(log.Refusals > 0, "the log never ran out of space");
        var failed = n - 1;

        // Reads answer from the reopened engine while the "disk" is still full, and a second write is refused cleanly too.
        Assert.Equal(Big(acknowledged[0]), await store.GetRawAsync(Message(acknowledged[0]).Id, Ct));
        Assert.Equal(acknowledged.Count, (await store.ListMessagesAsync(0, 1000, null, Ct)).Total);
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.AddMessageAsync(Message(failed + 1), Big(failed + 1), Ct));

        log.Limit = long.MaxValue;
        await store.AddMessageAsync(Message(failed + 2), Big(failed + 2), Ct);
        acknowledged.Add(failed + 2);

        var page = await store.ListMessagesAsync(0, 1000, null, Ct);
        Assert.Equal(acknowledged.Select(i => Message(i).Id).Order(), page.Items.Select(m => m.Id).Order());
        Assert.Equal(acknowledged.Count, page.Total);
        foreach (var i in acknowledged)
        {
            Assert.Equal(Big(i), await store.GetRawAsync(Message(i).Id, Ct));
        }

        Assert.Null(await store.GetMessageAsync(Message(failed).Id, Ct));
        Assert.Null(await store.GetRawAsync(Message(failed).Id, Ct));

        // The replaced engine's half-failed transaction must never be finalized: its finalizer throws on the
        // finalizer thread and kills the process (it aborted a whole test run once). Forcing the GC here makes
        // that happen now, in this test, instead of at some later moment.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.True(FaultedEngines.Count > 0, "the faulted engine was not kept");
    }

    private static byte[] Big(int n) => [.. Raw(n), .. new byte[30_000].Select((_, i) => (byte)('a' + ((i + n) % 26)))];

    /// <summary>A memory stream that, like a full file system, writes what fits and then throws ENOSPC's IOException.</summary>
    private sealed class FullableStream(long limit) : Stream
    {
        private readonly MemoryStream _inner = new();

        public long Limit { get; set; } = limit;

        public int Refusals { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => true;

        public override long Length => _inner.Length;

        public override long Position { get => _inner.Position; set => _inner.Position = value; }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);

        public override void Write(byte[] buffer, int offset, int count)
        {
            var room = (int)Math.Clamp(Limit - _inner.Position, 0, count);
            _inner.Write(buffer, offset, room);
            if (room < count)
            {
                Refusals++;
                throw new IOException("No space left on device");
            }
        }

        public override void SetLength(long value)
        {
            if (value > Limit)
            {
                Refusals++;
                throw new IOException("No space left on device");
            }

            _inner.SetLength(value);
        }
    }
}
