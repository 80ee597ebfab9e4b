using System.Net;
using MailSink.Hosting;

namespace MailSink.Client.Tests;

/// <summary>GetChecksAsync against an in-process server whose DNS answers come from an overrides file.</summary>
public sealed class ChecksClientTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mailsink-client-checks-" + Guid.NewGuid().ToString("N"));
    private MailSinkServer _sink = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        var zone = Path.Combine(_folder, "dns.txt");
        await File.WriteAllTextAsync(zone, "app.example TXT \"v=spf1 ip4:127.0.0.1 -all\"\n_dmarc.app.example TXT \"v=DMARC1; p=quarantine\"\n");
        var options = new MailSinkServerOptions { EnableTlsListeners = false };
        options.Settings["Diagnostics:DnsOverrides"] = zone;
        _sink = await MailSinkServer.StartAsync(options);
    }

    public async Task DisposeAsync()
    {
        await _sink.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task GetChecksAsync_returns_SPF_pass_DMARC_pass_on_SPF_alone_and_the_missing_DKIM_signature()
    {
        await Mail.SendAsync(_sink.SmtpPort, Mail.Welcome("ann@example.com"));
        var message = await _sink.Client.WaitForMessageAsync("to:ann@example.com", TimeSpan.FromSeconds(10));

        var checks = await _sink.Client.GetChecksAsync(message.Id);

        Assert.Equal("pass", Assert.Single(checks.Spf!.Evaluations).Result);
        Assert.Equal(("pass", true, false), (checks.Dmarc!.Result, checks.Dmarc.SpfAligned, checks.Dmarc.DkimAligned));
        Assert.Equal("warning", Assert.Single(checks.Findings, f => f.Code == "dkim.unsigned").Severity);
        Assert.Contains(checks.Findings, f => f.Code == "dmarc.spf-only");
        Assert.Equal(checks.Counts, message.Counts);
        Assert.Contains("spf=pass", checks.AuthenticationResults, StringComparison.Ordinal);

        // The fields the client once dropped: the DMARC record and its source, and the SPF evaluation DMARC used.
        Assert.Equal(("app.example", "v=DMARC1; p=quarantine", "quarantine"), (checks.Dmarc.RecordDomain, checks.Dmarc.Record, checks.Dmarc.Policy));
        Assert.Equal(("app.example", "pass"), (checks.Dmarc.SpfDomain, checks.Dmarc.SpfResult));
        Assert.Equal(("pass", "app.example", 0), (checks.Spf.Deciding!.Result, checks.Spf.Deciding.DecidedBy, checks.Spf.Deciding.VoidLookups));
    }

    [Fact]
    public async Task GetCodesAsync_returns_the_servers_table_with_meaning_and_fix()
    {
        var codes = await _sink.Client.GetCodesAsync();

        var mailboxUnavailable = Assert.Single(codes, c => c.Code == "X.1.1");
        Assert.Equal("enhanced", mailboxUnavailable.Kind);
        Assert.NotEmpty(mailboxUnavailable.Meaning);
        Assert.NotEmpty(mailboxUnavailable.Fix);
        Assert.StartsWith("RFC 3463", mailboxUnavailable.Rfc, StringComparison.Ordinal);
        Assert.Contains(codes, c => c.Code == "550" && c.Kind == "reply");
    }

    [Fact]
    public async Task GetChecksAsync_of_an_unknown_message_throws_with_the_servers_problem()
    {
        var error = await Assert.ThrowsAsync<MailSinkException>(() => _sink.Client.GetChecksAsync("NOSUCHMESSAGE000"));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }
}
