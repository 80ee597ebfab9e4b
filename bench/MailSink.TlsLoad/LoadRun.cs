using System.Diagnostics;

namespace MailSink.TlsLoad;

/// <summary>
/// One load: <see cref="LoadOptions.Sessions"/> tasks claim message numbers from a shared counter and send them,
/// opening a new connection every <see cref="LoadOptions.PerConnection"/> messages. Records, per message, the time
/// from the end of its DATA to the server's 250 (how long the store kept the client waiting).
/// </summary>
internal sealed class LoadRun(LoadOptions options, LoadMessage message, int count, Stopwatch clock, TimeSpan? stopAt = null)
{
    private const string From = "load@bench.example";
    private const string To = "inbox@bench.example";

    private readonly List<double>[] _latencies = Enumerable.Range(0, options.Sessions).Select(_ => new List<double>()).ToArray();
    private readonly Lock _gate = new();
    private readonly List<string> _errors = [];
    private int _next;
    private int _sent;
    private int _failed;
    private double _intervalMax;
    private int _intervalWorst = -1;

    public int Sent => Volatile.Read(ref _sent);

    public int Failed => Volatile.Read(ref _failed);

    public IReadOnlyList<string> Errors => _errors;

    /// <summary>The slowest 250 since the last call, and which message it was; resets the interval.</summary>
    public (double Max, int Message) TakeIntervalMax()
    {
        lock (_gate)
        {
            var result = (_intervalMax, _intervalWorst);
            _intervalMax = 0;
            _intervalWorst = -1;
            return result;
        }
    }

    public List<double> SortedLatencies() => _latencies.SelectMany(l => l).Order().ToList();

    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Sessions).Select(i => SessionAsync(i, cancellationToken)));

    private async Task SessionAsync(int index, CancellationToken cancellationToken)
    {
        var start = clock.Elapsed.TotalMilliseconds;
        SmtpConnection? connection = null;
        var onConnection = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var n = Interlocked.Increment(ref _next) - 1;
                if (n >= count || clock.Elapsed >= stopAt)
                {
                    break;
                }

                if (options.Rate is { } rate)
                {
                    // Paced: message n is due n/rate seconds after the start, whichever session sends it.
                    var early = start + n * 1000.0 / rate - clock.Elapsed.TotalMilliseconds;
                    if (early > 1)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(early), cancellationToken).ConfigureAwait(false);
                    }
                }

                try
                {
                    if (connection is null || onConnection == options.PerConnection)
                    {
                        if (connection is not null)
                        {
                            await connection.DisposeAsync().ConfigureAwait(false);
                            connection = null;
                        }

                        connection = await SmtpConnection.OpenAsync(options.Host, options.Port, options.StartTls, cancellationToken).ConfigureAwait(false);
                        onConnection = 0;
                    }

                    var data = message.Data(n, From, To);
                    var sentAt = clock.Elapsed.TotalMilliseconds;
                    await connection.SendAsync(From, To, data, cancellationToken).ConfigureAwait(false);
                    var latency = clock.Elapsed.TotalMilliseconds - sentAt;
                    onConnection++;
                    _latencies[index].Add(latency);
                    Interlocked.Increment(ref _sent);
                    lock (_gate)
                    {
                        if (latency > _intervalMax)
                        {
                            (_intervalMax, _intervalWorst) = (latency, n);
                        }
                    }
                }
                catch (Exception ex) when (ex is IOException or InvalidOperationException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException)
                {
                    Interlocked.Increment(ref _failed);
                    lock (_gate)
                    {
                        if (_errors.Count < 10)
                        {
                            _errors.Add($"message {n}: {ex.Message}");
                        }
                    }

                    if (connection is not null)
                    {
                        await connection.DisposeAsync().ConfigureAwait(false);
                        connection = null;
                    }
                }
            }
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
