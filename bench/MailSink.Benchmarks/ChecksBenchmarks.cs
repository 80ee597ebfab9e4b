using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using MailSink.Diagnostics;
using MailSink.Diagnostics.Dns;
using MailSink.Domain;
using MailSink.Mime;

namespace MailSink.Benchmarks;

/// <summary>
/// What the deliverability checks add to ingest: projection alone (the baseline) against projection plus checks,
/// with DNS off and with an overrides file that answers SPF (with an include) and DMARC.
/// </summary>
[MemoryDiagnoser]
public class ChecksBenchmarks
{
    private byte[] _plain = [];
    private Envelope _envelope = new();
    private MessageChecker _dnsOff = null!;
    private MessageChecker _overrides = null!;
    private string _zone = "";
    private MessageSummary _checked = new();
    private MessageSummary _unchecked = new();
    private readonly LiteDB.BsonMapper _mapper = new() { TrimWhitespace = false, EmptyStringToNull = false, SerializeNullValues = false, EnumAsInteger = false };

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _plain = Encoding.ASCII.GetBytes(
            "From: Alice <alice@example.com>\r\nTo: bob@example.com\r\nSubject: =?utf-8?q?caf=C3=A9?=\r\n" +
            "Date: Sat, 28 Nov 2026 15:33:07 +0000\r\nMessage-ID: <1@example.com>\r\n\r\n" + string.Concat(Enumerable.Repeat("Hello world, this is a line of text.\r\n", 130)));
        _envelope = new Envelope { MailFrom = "alice@example.com", RcptTo = ["bob@example.com"], Helo = "client.example.com", ClientAddress = "127.0.0.1" };
        _zone = Path.Combine(Path.GetTempPath(), $"mailsink-bench-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(_zone, "example.com TXT \"v=spf1 ip4:127.0.0.1 include:_spf.example.com -all\"\n_spf.example.com TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n_dmarc.example.com TXT \"v=DMARC1; p=reject\"\n");
        _dnsOff = new MessageChecker(new DiagnosticsResolver(null, null), null, "bench", TimeProvider.System);
        _overrides = new MessageChecker(new DiagnosticsResolver(new DnsOverridesFile(_zone), null), IPAddress.Parse("192.0.2.1"), "bench", TimeProvider.System);
        _unchecked = MessageProjector.Project(_plain, _envelope, out var parsed);
        _checked = MessageProjector.Project(_plain, _envelope);
        _checked.Checks = await _overrides.CheckAsync(_plain, parsed, _checked, CancellationToken.None);
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_zone);

    [Benchmark(Baseline = true)]
    public object ProjectOnly() => MessageProjector.Project(_plain, _envelope);

    [Benchmark]
    public async Task<object> ProjectAndCheckDnsOffAsync() => await ProjectAndCheckAsync(_dnsOff);

    [Benchmark]
    public async Task<object> ProjectAndCheckWithOverridesAsync() => await ProjectAndCheckAsync(_overrides);

    /// <summary>The stored document grows by the checks: LiteDB maps it on the single writer's thread.</summary>
    [Benchmark]
    public LiteDB.BsonDocument MapSummaryWithoutChecks() => _mapper.ToDocument(_unchecked);

    [Benchmark]
    public LiteDB.BsonDocument MapSummaryWithChecks() => _mapper.ToDocument(_checked);

    private Task<MessageChecks> ProjectAndCheckAsync(MessageChecker checker)
    {
        var summary = MessageProjector.Project(_plain, _envelope, out var parsed);
        return checker.CheckAsync(_plain, parsed, summary, CancellationToken.None);
    }
}
