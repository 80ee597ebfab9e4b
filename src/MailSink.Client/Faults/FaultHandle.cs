namespace MailSink.Client;

/// <summary>A rule added by <see cref="MailSinkClient.AddFaultAsync"/>; disposing it deletes the rule.</summary>
public sealed class FaultHandle : IAsyncDisposable
{
    private readonly MailSinkClient _client;
    private int _disposed;

    internal FaultHandle(MailSinkClient client, FaultRule rule)
    {
        _client = client;
        Rule = rule;
    }

    /// <summary>The rule as the server accepted it.</summary>
    public FaultRule Rule { get; }

    /// <summary>The rule's ID.</summary>
    public string Id => Rule.ID;

    /// <summary>How many times the rule fired so far.</summary>
    public async Task<int> GetFiredAsync(CancellationToken cancellationToken = default) =>
        (await _client.GetFaultAsync(Id, cancellationToken).ConfigureAwait(false)).Fired;

    /// <summary>Deletes the rule (once; a rule already deleted on the server is fine).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _client.DeleteFaultAsync(Id, ignoreMissing: true, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
