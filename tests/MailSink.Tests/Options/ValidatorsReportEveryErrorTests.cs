using MailSink.Diagnostics;
using MailSink.Faults;
using MailSink.Options;
using Microsoft.Extensions.Options;

namespace MailSink.Tests.Options;

/// <summary>
/// A configuration with several mistakes is refused with all of them at once, so fixing one does not just reveal the
/// next at the following start-up: every options validator collects its failures instead of returning the first.
/// </summary>
public sealed class ValidatorsReportEveryErrorTests
{
    public static TheoryData<string, Func<ValidateOptionsResult>, string[]> Configurations => new()
    {
        {
            "Server",
            () => new ServerOptionsValidator().Validate(null, new ServerOptions { Bind = "not an address", Hostname = "two words" }),
            ["Server:Bind", "Server:Hostname"]
        },
        {
            "Smtp",
            () => new SmtpOptionsValidator().Validate(null, new SmtpOptions { MaxRecipients = 0, MaxConnections = 0, MaxMessageSize = 10 }),
            ["Smtp:MaxRecipients", "Smtp:MaxConnections", "Smtp:MaxMessageSize"]
        },
        {
            "Storage",
            () => new StorageOptionsValidator().Validate(null, new StorageOptions { MaxMessages = 0, WriteBatchSize = 0 }),
            ["Storage:MaxMessages", "Storage:WriteBatchSize"]
        },
        {
            "Web",
            () => new WebOptionsValidator().Validate(null, new WebOptions
            {
                HttpPort = 70_000,
                AllowedOrigins = ["ftp://example.com", "http://localhost:5173", "nonsense"],
                HtpasswdFile = "/nonexistent/mailsink/htpasswd",
                ApiToken = "short",
            }),
            ["Web:HttpPort", "Web:AllowedOrigins: 'ftp://example.com'", "Web:AllowedOrigins: 'nonsense'", "Web:HtpasswdFile", "Web:ApiToken"]
        },
        {
            "Diagnostics",
            () => new DiagnosticsOptionsValidator().Validate(null, new DiagnosticsOptions
            {
                Dns = "sometimes",
                Timeout = TimeSpan.Zero,
                SenderIp = "host.example",
                DnsOverrides = "/nonexistent/mailsink/dns.txt",
            }),
            ["Diagnostics:Dns", "Diagnostics:Timeout", "Diagnostics:SenderIp", "Diagnostics:DnsOverrides"]
        },
        {
            "Faults",
            () => new FaultOptionsValidator().Validate(null, new FaultOptions { MagicDomain = "not a domain", GreylistDelay = TimeSpan.FromSeconds(-1), TimeoutHold = TimeSpan.Zero }),
            ["Faults:MagicDomain", "Faults:GreylistDelay", "Faults:TimeoutHold"]
        },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Every_mistake_in_a_section_is_reported_at_once(string section, Func<ValidateOptionsResult> validate, string[] expected)
    {
        var result = validate();

        Assert.True(result.Failed, section);
        var failures = result.Failures!.ToList();
        Assert.Equal(expected.Length, failures.Count);
        foreach (var option in expected)
        {
            Assert.Contains(failures, f => f.StartsWith(option, StringComparison.Ordinal));
        }
    }
}
