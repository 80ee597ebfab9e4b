using Microsoft.Extensions.Logging.Abstractions;

namespace MailSink.Diagnostics.Dns;

/// <summary>
/// The overrides file, re-read when its time stamp or length changes (checked on each question, so an edit is
/// seen by the next message without a watcher). An edit that does not parse keeps the last good version and is logged.
/// </summary>
internal sealed partial class DnsOverridesFile
{
    private readonly string _path;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private (DateTime Written, long Length) _stamp;
    private DnsOverrideTable _table;

    /// <exception cref="FormatException">The file does not parse (start-up reports it naming the option).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public DnsOverridesFile(string path, ILogger? logger = null)
    {
        _path = path;
        _logger = logger ?? NullLogger.Instance;
        _stamp = StampOf(path);
        _table = DnsOverridesParser.Parse(File.ReadAllText(path));
    }

    public string Path => _path;

    public DnsOverrideTable Current
    {
        get
        {
            var stamp = StampOf(_path);
            lock (_gate)
            {
                if (stamp == _stamp)
                {
                    return _table;
                }

                _stamp = stamp;
                try
                {
                    _table = DnsOverridesParser.Parse(File.ReadAllText(_path));
                    Log.Reloaded(_logger, _path, _table.Count);
                }
                catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
                {
                    Log.ReloadFailed(_logger, _path, ex.Message);
                }

                return _table;
            }
        }
    }

    private static (DateTime, long) StampOf(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1);
    }

    private static partial class Log
    {
        [LoggerMessage(1901, LogLevel.Information, "DNS overrides reloaded from {Path}: {Count} record(s)")]
        public static partial void Reloaded(ILogger logger, string path, int count);

        [LoggerMessage(1902, LogLevel.Warning, "DNS overrides file {Path} changed but could not be read; the previous version stays in use: {Reason}")]
        public static partial void ReloadFailed(ILogger logger, string path, string reason);
    }
}
