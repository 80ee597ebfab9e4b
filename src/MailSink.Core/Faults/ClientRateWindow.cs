namespace MailSink.Faults;

/// <summary>Messages started per client address in the last minute, for the rate-limit action.</summary>
internal sealed class ClientRateWindow
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Dictionary<string, Queue<DateTimeOffset>> _starts = new(StringComparer.Ordinal);

    /// <summary>
    /// True when <paramref name="client"/> already started <paramref name="limit"/> messages within the minute
    /// (this one is refused and not counted); otherwise counts this one. Not thread-safe: the owning rule serialises calls.
    /// </summary>
    public bool Exceeds(string client, DateTimeOffset now, int limit)
    {
        if (!_starts.TryGetValue(client, out var starts))
        {
            _starts[client] = starts = new Queue<DateTimeOffset>();
        }

        while (starts.TryPeek(out var oldest) && now - oldest >= Window)
        {
            starts.Dequeue();
        }

        if (starts.Count >= limit)
        {
            return true;
        }

        starts.Enqueue(now);
        return false;
    }
}
