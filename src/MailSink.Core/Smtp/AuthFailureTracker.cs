using MailSink.Options;
using Microsoft.Extensions.Options;

namespace MailSink.Smtp;

/// <summary>
/// Failed credential checks per client address, across connections and listeners: after
/// <see cref="SmtpOptions.AuthFailureLimit"/> of them within <see cref="SmtpOptions.AuthFailureWindow"/>, the address
/// is locked out until the oldest of them leaves the window (a sliding window, so a steady guesser stays out).
/// Only wrong credentials count, never a malformed exchange or a fault rule's refusal.
/// </summary>
internal sealed partial class AuthFailureTracker
{
    /// <summary>Key of the <see cref="TimeProvider"/> the lockout runs on (tests give it a fake clock alone).</summary>
    public const string TimeKey = "MailSink:AuthFailures";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly int _limit;
    private readonly TimeSpan _window;
    private readonly ILogger _logger;

    public AuthFailureTracker([FromKeyedServices(TimeKey)] TimeProvider time, IOptions<SmtpOptions> options, ILogger<AuthFailureTracker> logger)
    {
        _time = time;
        _logger = logger;
        _limit = options.Value.AuthFailureLimit;
        _window = options.Value.AuthFailureWindow;
    }

    /// <summary>Whether AUTH from <paramref name="clientAddress"/> is refused now.</summary>
    public bool IsLockedOut(string clientAddress)
    {
        if (_limit == 0)
        {
            return false;
        }

        lock (_gate)
        {
            return _failures.TryGetValue(clientAddress, out var times) && Prune(clientAddress, times) >= _limit;
        }
    }

    public void Failed(string clientAddress)
    {
        if (_limit == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (!_failures.TryGetValue(clientAddress, out var times))
            {
                times = new Queue<DateTimeOffset>();
                _failures[clientAddress] = times;
            }

            times.Enqueue(_time.GetUtcNow());
            if (Prune(clientAddress, times) == _limit)
            {
                Log.LockedOut(_logger, clientAddress, _limit, _window);
            }
        }
    }

    /// <summary>Forgets failures older than the window (and the address once none are left); returns how many remain.</summary>
    private int Prune(string clientAddress, Queue<DateTimeOffset> times)
    {
        var since = _time.GetUtcNow() - _window;
        while (times.TryPeek(out var oldest) && oldest <= since)
        {
            times.Dequeue();
        }

        if (times.Count == 0)
        {
            _failures.Remove(clientAddress);
        }

        return times.Count;
    }

    private static partial class Log
    {
        [LoggerMessage(1110, LogLevel.Warning, "SMTP AUTH from {ClientAddress} refused with 421 4.7.0 after {Limit} wrong credentials within {Window} (Smtp:AuthFailureLimit)")]
        public static partial void LockedOut(ILogger logger, string clientAddress, int limit, TimeSpan window);
    }
}
