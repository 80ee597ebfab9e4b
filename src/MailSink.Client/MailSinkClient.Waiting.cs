using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace MailSink.Client;

public sealed partial class MailSinkClient
{
    /// <summary>Longest single wait call: under HttpClient's default 100 s timeout and the server's 5 minute cap.</summary>
    private static readonly TimeSpan WaitSlice = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Waits for a message matching <paramref name="query"/> (the search language: words, "phrases", from:,
    /// to:, subject:, ...; empty matches any) and returns it whole. A message that arrived before the call
    /// counts: give the query something unique to the test (a recipient, a subject) so an older message
    /// cannot satisfy it. The server wakes the call when the message is stored; nothing polls.
    /// </summary>
    /// <exception cref="TimeoutException">No such message arrived within <paramref name="timeout"/>.</exception>
    public async Task<Message> WaitForMessageAsync(string query, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var found = await WaitForMessagesAsync(query, 1, timeout, after: null, cancellationToken).ConfigureAwait(false);
        return await GetAsync(found[0].Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits for a message matching <paramref name="query"/> that MailSink received after <paramref name="after"/>
    /// (take the time before the action under test) and returns it whole.
    /// </summary>
    /// <exception cref="TimeoutException">No such message arrived within <paramref name="timeout"/>.</exception>
    public async Task<Message> WaitForMessageAsync(string query, DateTimeOffset after, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var found = await WaitForMessagesAsync(query, 1, timeout, after.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        return await GetAsync(found[0].Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits for the first message (oldest first, stored ones included) for which <paramref name="predicate"/>
    /// is true. Each candidate is fetched whole and tested here, so the predicate can look at anything
    /// (bodies, links, attachments); narrow the candidates with the overload taking a query.
    /// </summary>
    /// <exception cref="TimeoutException">No such message arrived within <paramref name="timeout"/>.</exception>
    public Task<Message> WaitForMessageAsync(Func<Message, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitForMessageAsync(null, predicate, timeout, cancellationToken);

    /// <summary>
    /// Waits for the first message matching <paramref name="query"/> (null or empty: any) for which
    /// <paramref name="predicate"/> is also true, walking the matches oldest first with the wait endpoint's
    /// <c>after</c> so no message is skipped and none is tested twice.
    /// </summary>
    /// <exception cref="TimeoutException">No such message arrived within <paramref name="timeout"/>.</exception>
    public async Task<Message> WaitForMessageAsync(string? query, Func<Message, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var clock = Stopwatch.StartNew();
        string? after = null;
        var tested = 0;
        while (true)
        {
            var page = await WaitOnceAsync(query, 1, Remaining(timeout, clock), after, cancellationToken).ConfigureAwait(false);
            if (page is null)
            {
                if (clock.Elapsed >= timeout)
                {
                    throw new TimeoutException($"No message{Describe(query)} satisfied the predicate within {timeout.TotalSeconds:0.###} s ({tested} tested).");
                }

                continue;
            }

            var candidate = page.Messages[0];
            after = candidate.Id;
            tested++;
            Message message;
            try
            {
                message = await GetAsync(candidate.Id, cancellationToken).ConfigureAwait(false);
            }
            catch (MailSinkException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                continue; // deleted in between
            }

            if (predicate(message))
            {
                return message;
            }
        }
    }

    /// <summary>
    /// Waits until <paramref name="count"/> messages matching <paramref name="query"/> exist that arrived
    /// after <paramref name="after"/> (a message ID or an RFC 3339 time; null: any time) and returns the
    /// oldest of them, oldest first. Timeouts longer than a minute are waited as several calls.
    /// </summary>
    /// <exception cref="TimeoutException">Fewer than <paramref name="count"/> arrived within <paramref name="timeout"/>.</exception>
    public async Task<IReadOnlyList<MessageSummary>> WaitForMessagesAsync(string? query, int count, TimeSpan timeout, string? after = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var page = await WaitOnceAsync(query, count, Remaining(timeout, clock), after, cancellationToken).ConfigureAwait(false);
            if (page is not null)
            {
                return page.Messages.Reverse().ToList();
            }

            if (clock.Elapsed >= timeout)
            {
                throw new TimeoutException($"Fewer than {count} message(s){Describe(query)} arrived within {timeout.TotalSeconds:0.###} s.");
            }
        }
    }

    /// <summary>
    /// Streams messages as MailSink stores them, over the real-time hub (/hubs/inbox), until
    /// <paramref name="cancellationToken"/> is cancelled. With a <paramref name="query"/>, only messages it
    /// matches (the server decides, with the same search language). Messages stored while the connection
    /// is down (before it starts, or during a reconnect) are not replayed: for "did it arrive", use
    /// <see cref="WaitForMessageAsync(string, TimeSpan, CancellationToken)"/>.
    /// </summary>
    /// <param name="query">A search query in MailSink's language; null or empty streams every message.</param>
    /// <param name="cancellationToken">Ends the stream (and closes the hub connection).</param>
    public IAsyncEnumerable<MessageSummary> WatchAsync(string? query = null, CancellationToken cancellationToken = default) =>
        WatchAsync(query, connected: null, cancellationToken);

    /// <summary>
    /// Streams messages as <see cref="WatchAsync(string?, CancellationToken)"/> does, and calls
    /// <paramref name="connected"/> once the hub connection is up: every message stored after that call is
    /// streamed. Send the mail you want to watch for from there, not after a guessed delay.
    /// </summary>
    /// <param name="query">A search query in MailSink's language; null or empty streams every message.</param>
    /// <param name="connected">Called once, when the connection to the hub has started (not on reconnects).</param>
    /// <param name="cancellationToken">Ends the stream (and closes the hub connection).</param>
    public async IAsyncEnumerable<MessageSummary> WatchAsync(string? query, Action? connected, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var batches = Channel.CreateUnbounded<MessageSummary[]>(new UnboundedChannelOptions { SingleReader = true });
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(BaseAddress, "hubs/inbox"))
            .AddJsonProtocol(o =>
            {
                o.PayloadSerializerOptions.PropertyNamingPolicy = null;
                o.PayloadSerializerOptions.PropertyNameCaseInsensitive = true;
            })
            .WithAutomaticReconnect()
            .Build();
        await using (hub.ConfigureAwait(false))
        {
            using var subscription = hub.On<MessageSummary[]>("messageReceived", batch => batches.Writer.TryWrite(batch));
            hub.Closed += error =>
            {
                batches.Writer.TryComplete(error);
                return Task.CompletedTask;
            };
            await hub.StartAsync(cancellationToken).ConfigureAwait(false);
            connected?.Invoke();

            await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var summary in batch.OrderBy(m => m.Id, StringComparer.Ordinal))
                {
                    if (string.IsNullOrWhiteSpace(query) || await MatchesAsync(query, summary, cancellationToken).ConfigureAwait(false))
                    {
                        yield return summary;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Asks the server whether one message matches a query: the oldest match after the ID just before it
    /// is that message exactly when it matches (IDs sort by arrival). One call, no waiting.
    /// </summary>
    private async Task<bool> MatchesAsync(string query, MessageSummary summary, CancellationToken cancellationToken)
    {
        var page = await WaitOnceAsync(query, 1, TimeSpan.Zero, MessageIds.Previous(summary.Id), cancellationToken).ConfigureAwait(false);
        return page is { Messages.Count: > 0 } && page.Messages[0].Id == summary.Id;
    }

    /// <summary>One call to GET /api/v1/wait; null on 408.</summary>
    private async Task<MessagesPage?> WaitOnceAsync(string? query, int count, TimeSpan timeout, string? after, CancellationToken cancellationToken)
    {
        var slice = timeout < WaitSlice ? timeout : WaitSlice;
        var relative = $"api/v1/wait?count={count}&timeout={FormatTimeout(slice)}"
            + (string.IsNullOrEmpty(query) ? "" : $"&query={Escape(query)}")
            + (string.IsNullOrEmpty(after) ? "" : $"&after={Escape(after)}");
        using var response = await _http.GetAsync(new Uri(BaseAddress, relative), cancellationToken).ConfigureAwait(false);
        if (IsTimeout(response))
        {
            return null;
        }

        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync<MessagesPage>(Json, cancellationToken).ConfigureAwait(false);
    }

    private static TimeSpan Remaining(TimeSpan timeout, Stopwatch clock)
    {
        var left = timeout - clock.Elapsed;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private static string Describe(string? query) => string.IsNullOrWhiteSpace(query) ? "" : $" matching '{query}'";
}
