namespace MailSink.Faults;

/// <summary>
/// RFC 6647 greylisting state of one rule: when each (client address, sender, recipient) triplet was first seen.
/// A triplet is deferred until <c>retryAfter</c> has passed since then; after that every attempt is accepted.
/// </summary>
internal sealed class GreylistTriplets
{
    private readonly Dictionary<(string Client, string Sender, string Recipient), DateTimeOffset> _firstSeen = [];

    /// <summary>True when this attempt must be deferred. Not thread-safe: the owning rule serialises calls.</summary>
    public bool ShouldDefer(string client, string sender, string recipient, DateTimeOffset now, TimeSpan retryAfter)
    {
        var key = (client, sender.ToLowerInvariant(), recipient.ToLowerInvariant());
        if (!_firstSeen.TryGetValue(key, out var first))
        {
            _firstSeen[key] = now;
            return true;
        }

        return now - first < retryAfter;
    }
}
