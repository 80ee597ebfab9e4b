using System.Globalization;

namespace MailSink.Soak;

/// <summary>One reading of the MailSink process from /proc: resident memory, open file descriptors, threads.</summary>
internal sealed record ProcessGauge(TimeSpan At, long RssBytes, int OpenFiles, int Threads)
{
    public static ProcessGauge Read(int pid, TimeSpan at)
    {
        long rss = 0;
        var threads = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = long.Parse(line[6..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture) * 1024;
            }
            else if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                threads = int.Parse(line[8..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        return new ProcessGauge(at, rss, Directory.GetFiles($"/proc/{pid}/fd").Length, threads);
    }

    public override string ToString() =>
        $"{At.TotalMinutes,5:F1} min  RSS {RssBytes / 1024.0 / 1024.0,6:F0} MiB  fds {OpenFiles,4}  threads {Threads,3}";
}
