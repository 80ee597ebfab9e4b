using System.Diagnostics;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Api;

/// <summary>/api/v1/info's runtime figures.</summary>
public sealed class InfoApiTests
{
    [Fact]
    public async Task Uptime_counts_from_start_up_not_from_the_first_info_request()
    {
        var sinceBeforeStart = Stopwatch.StartNew();
        var app = await MailSinkApp.StartAsync(dataDirectory: null, memory: true);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5));

            var info = await app.GetJsonAsync("/api/v1/info");

            // At least the wait (it counted before this first request), at most this host's own lifetime.
            var uptime = info["RuntimeStats"]!["Uptime"]!.GetValue<long>();
            Assert.InRange(uptime, 1, (long)Math.Ceiling(sinceBeforeStart.Elapsed.TotalSeconds));
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
