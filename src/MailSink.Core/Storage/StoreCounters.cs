namespace MailSink.Storage;

/// <summary>
/// Cached message and unread counts: LiteDB counts by walking an index, which is O(n) per list
/// request. Only the writer changes them, after a commit; anyone may read them.
/// </summary>
internal sealed class StoreCounters
{
    private int _total;
    private int _unread;

    public int Total => Volatile.Read(ref _total);

    public int Unread => Volatile.Read(ref _unread);

    public void Recount(MailDatabase database)
    {
        var total = database.Messages.Count();
        var unread = database.Messages.Count("$.Read = false");
        Volatile.Write(ref _total, total);
        Volatile.Write(ref _unread, unread);
    }

    public void Apply(WriteContext context)
    {
        if (context.Recount)
        {
            Recount(context.Database);
            return;
        }

        Interlocked.Add(ref _total, context.TotalDelta);
        Interlocked.Add(ref _unread, context.UnreadDelta);
    }
}
