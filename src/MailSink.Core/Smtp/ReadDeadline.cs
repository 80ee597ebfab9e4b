using System.Globalization;

namespace MailSink.Smtp;

/// <summary>
/// How long the next read from the client may take (<see cref="Timeout.InfiniteTimeSpan"/>: no bound
/// here) and the reply to close with past it. RFC 5321 section 4.5.3.2: DATA content is bounded per
/// block and as a whole, a command line from its first byte. Waiting for a new command is SmtpServer's
/// own idle timeout (Smtp:IdleTimeout), so it is not bounded here.
/// </summary>
internal readonly record struct ReadDeadline(TimeSpan Remaining, string Reply)
{
    public static ReadDeadline None { get; } = new(Timeout.InfiniteTimeSpan, "");

    public static ReadDeadline ForData(SessionLimits limits, DateTimeOffset dataStartedAt, DateTimeOffset now)
    {
        var whole = Left(dataStartedAt, limits.DataTimeout, now);
        var block = limits.DataBlockTimeout;
        if (whole == Timeout.InfiniteTimeSpan && block == Timeout.InfiniteTimeSpan)
        {
            return None;
        }

        return whole != Timeout.InfiniteTimeSpan && (block == Timeout.InfiniteTimeSpan || whole <= block)
            ? new(whole, $"421 4.4.2 Timeout: DATA not completed within {Seconds(limits.DataTimeout)}, closing connection")
            : new(block, $"421 4.4.2 Timeout: no DATA content for {Seconds(block)}, closing connection");
    }

    /// <summary>A command line must be complete within the command timeout of its first byte (null: no line begun).</summary>
    public static ReadDeadline ForCommand(SessionLimits limits, DateTimeOffset? lineStartedAt, DateTimeOffset now) =>
        lineStartedAt is { } started && limits.CommandTimeout != Timeout.InfiniteTimeSpan
            ? new(Left(started, limits.CommandTimeout, now), $"421 4.4.2 Timeout: command line not completed within {Seconds(limits.CommandTimeout)}, closing connection")
            : None;

    private static TimeSpan Left(DateTimeOffset since, TimeSpan limit, DateTimeOffset now) =>
        limit == Timeout.InfiniteTimeSpan ? limit : limit - (now - since) is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero;

    private static string Seconds(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.#} s");
}
