using System.Text.Json;
using System.Threading.Channels;
using MailSink.Api;
using MailSink.Contracts;
using MailSink.Domain;
using MailSink.Storage;

namespace MailSink.Realtime;

/// <summary>One frame of Mailpit's live feed: <c>{"Type": "new", "Data": ...}</c>.</summary>
internal sealed record MailpitFrame(string Type, object? Data);

/// <summary>
/// Turns store events into Mailpit's WebSocket frames (internal/storage in Mailpit): <c>new</c> with the message
/// summary, <c>update</c> with ID and Read or Tags, <c>delete</c> with ID, <c>truncate</c> when everything went,
/// and <c>stats</c> (Total, Unread, Version) at most every <see cref="StatsInterval"/> after a change, as
/// Mailpit's BroadcastMailboxStats does. Subscribes to <see cref="MailboxEvents"/> like <see cref="InboxNotifier"/>;
/// the feed does no work while nobody is connected.
/// </summary>
internal sealed partial class MailpitEventNotifier(
    MailboxEvents events,
    IMailStore store,
    MailpitEventFeed feed,
    TimeProvider time,
    ILogger<MailpitEventNotifier> logger) : BackgroundService
{
    public static readonly TimeSpan StatsInterval = TimeSpan.FromMilliseconds(250);

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = null };

    private readonly Channel<MailboxEvent> _queue = Channel.CreateUnbounded<MailboxEvent>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = events.Subscribe(e =>
        {
            if (feed.Count > 0)
            {
                _queue.Writer.TryWrite(e);
            }
        });

        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(stoppingToken))
        {
            var changed = false;
            while (reader.TryRead(out var e))
            {
                changed |= Publish(e);
            }

            if (changed)
            {
                // Let a burst finish so it costs one stats frame, as Mailpit's 250 ms rate limit does.
                await Task.Delay(StatsInterval, time, stoppingToken);
                while (reader.TryRead(out var e))
                {
                    Publish(e);
                }

                await PublishStatsAsync(stoppingToken);
            }
        }
    }

    /// <summary>Broadcasts the frames for one event; true when the mailbox counts may have changed.</summary>
    private bool Publish(MailboxEvent e)
    {
        switch (e)
        {
            case MessageStored stored:
                Send("new", MessageSummaryDto.Of(stored.Summary));
                return true;
            case MessageUpdated updated:
                Send("update", new { ID = updated.Id, updated.Read, updated.Tags });
                return true;
            case MessagesDeleted { Ids: null }:
                Send("truncate", null);
                return true;
            case MessagesDeleted deleted:
                foreach (var id in deleted.Ids!)
                {
                    Send("delete", new { ID = id });
                }

                return true;
            default:
                return false;
        }
    }

    private async Task PublishStatsAsync(CancellationToken cancellationToken)
    {
        try
        {
            var stats = await store.GetStatsAsync(cancellationToken);
            Send("stats", new { Total = stats.Total, Unread = stats.Unread, Version = BuildInfo.Version });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.StatsFailed(logger, ex);
        }
    }

    private void Send(string type, object? data) =>
        feed.Broadcast(JsonSerializer.SerializeToUtf8Bytes(new MailpitFrame(type, data), Json));

    private static partial class Log
    {
        [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Mailpit live feed: stats could not be read")]
        public static partial void StatsFailed(ILogger logger, Exception exception);
    }
}
