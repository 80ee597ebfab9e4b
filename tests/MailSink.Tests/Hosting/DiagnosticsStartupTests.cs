using MailSink.Tests.TestHost;

namespace MailSink.Tests.Hosting;

/// <summary>Bad Diagnostics options stop MailSink at start with one line naming the option (exit 2), on the real process.</summary>
public sealed class DiagnosticsStartupTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mailsink-diag-" + Guid.NewGuid().ToString("N"));

    public DiagnosticsStartupTests() => Directory.CreateDirectory(_folder);

    private string Storage => Path.Combine(_folder, "mailsink.db");

    public void Dispose() => MailSinkApp.DeleteFolder(_folder);

    [Fact]
    public async Task An_overrides_file_with_a_bad_line_is_refused_naming_the_option_the_file_and_the_line()
    {
        var file = Path.Combine(_folder, "dns.txt");
        await File.WriteAllTextAsync(file, "# ok\nshop.example SRV 0 5 25 mx.shop.example\n");

        var (code, _, stderr) = await MailSinkProcess.RunToExitAsync(Storage, "--dns-overrides", file);

        Assert.Equal(2, code);
        Assert.Contains($"mailsink: Diagnostics:DnsOverrides (--dns-overrides): '{file}': line 2: record type 'SRV' is not one of TXT, A, AAAA, MX, PTR, CNAME", stderr);
    }

    [Theory]
    [InlineData("--Diagnostics:Dns=sometimes", "mailsink: Diagnostics:Dns must be 'off' or 'on', got 'sometimes'")]
    [InlineData("--sender-ip=mail.shop.example", "mailsink: Diagnostics:SenderIp (--sender-ip) must be an IPv4 or IPv6 address, got 'mail.shop.example'")]
    public async Task A_bad_value_is_refused_naming_the_option(string argument, string expected)
    {
        var (code, _, stderr) = await MailSinkProcess.RunToExitAsync(Storage, argument);

        Assert.Equal(2, code);
        Assert.Contains(expected, stderr);
    }
}
