using System.Diagnostics;
using MailSink.Diagnostics;
using MailSink.Diagnostics.Dns;
using MailSink.Mime;
using Microsoft.Extensions.Logging.Abstractions;

namespace MailSink.Tests.Diagnostics;

public sealed class IngestCheckerTests
{
    /// <summary>A name server that never answers.</summary>
    private sealed class SilentResolver : IDnsResolver
    {
        public async ValueTask<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return DnsAnswer.NotFound;
        }
    }

    [Fact]
    public async Task Checks_slower_than_the_timeout_give_up_so_the_message_is_stored_without_them()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new DiagnosticsOptions { Timeout = TimeSpan.FromMilliseconds(200) });
        var checker = new IngestChecker(options, new MessageChecker(new SilentResolver(), null, "sink.test", TimeProvider.System), NullLogger<IngestChecker>.Instance);
        var raw = DkimKeys.Bytes(Checks.NewMessage());
        var summary = MessageProjector.Project(raw, Checks.Envelope(), out var parsed);
        var clock = Stopwatch.StartNew();

        var checks = await checker.CheckAsync(raw, parsed, summary, CancellationToken.None);

        Assert.Null(checks);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Turned_off_the_checks_return_nothing_without_asking_DNS()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new DiagnosticsOptions { Enabled = false });
        var checker = new IngestChecker(options, new MessageChecker(new SilentResolver(), null, "sink.test", TimeProvider.System), NullLogger<IngestChecker>.Instance);
        var raw = DkimKeys.Bytes(Checks.NewMessage());
        var summary = MessageProjector.Project(raw, Checks.Envelope(), out var parsed);

        Assert.Null(await checker.CheckAsync(raw, parsed, summary, CancellationToken.None));
    }
}
