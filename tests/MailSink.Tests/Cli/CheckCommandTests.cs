using System.Text.Json.Nodes;
using MailSink.Cli;
using MailSink.Tests.Diagnostics;

namespace MailSink.Tests.Cli;

/// <summary><c>mailsink check</c>: the ingest checks on a file, exit 1 when a finding is an error.</summary>
public sealed class CheckCommandTests : IDisposable
{
    private static readonly DkimKeys Keys = DkimKeys.Rsa(2048);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mailsink-check-" + Guid.NewGuid().ToString("N"));

    public CheckCommandTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => TestHost.MailSinkApp.DeleteFolder(_folder);

    private static string TestData(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "checks", name);

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CheckCommand.RunAsync(args, output, error, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task A_file_with_an_error_finding_exits_1_and_lists_it()
    {
        var (exit, output, _) = await RunAsync(TestData("repeated-subject.eml"));

        Assert.Equal(CheckCommand.HasErrors, exit);
        Assert.Contains("headers.repeated-subject", output, StringComparison.Ordinal);
        Assert.StartsWith("Authentication-Results: ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_clean_file_exits_0()
    {
        var (exit, output, _) = await RunAsync(TestData("clean.eml"));

        Assert.Equal(CheckCommand.Clean, exit);
        Assert.Contains("0 error(s)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_file_passes_DKIM_SPF_and_DMARC_with_the_overrides_file_the_sender_ip_and_json_output()
    {
        var message = Checks.NewMessage(from: "news@shop.example");
        message.Headers.Add("Return-Path", "<bounce@shop.example>");
        Keys.Signer("shop.example", "s1").Sign(message, DkimKeys.SignedHeaders);
        var file = Path.Combine(_folder, "signed.eml");
        await File.WriteAllBytesAsync(file, DkimKeys.Bytes(message));
        var zone = Path.Combine(_folder, "dns.txt");
        await File.WriteAllTextAsync(zone, $"{Keys.ZoneLine("s1", "shop.example")}\nshop.example TXT \"v=spf1 ip4:203.0.113.0/24 -all\"\n_dmarc.shop.example TXT \"v=DMARC1; p=reject\"\n");

        var (exit, output, _) = await RunAsync(file, "--dns-overrides", zone, "--sender-ip", "203.0.113.9", "--json");

        Assert.Equal(CheckCommand.Clean, exit);
        var json = JsonNode.Parse(output)!;
        Assert.Equal("pass", json["Dkim"]![0]!["Result"]!.GetValue<string>());
        Assert.Equal("pass", json["Spf"]!["Evaluations"]![0]!["Result"]!.GetValue<string>());
        Assert.Equal("203.0.113.9", json["Spf"]!["Evaluations"]![0]!["Ip"]!.GetValue<string>());
        Assert.Equal("pass", json["Dmarc"]!["Result"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(new string[0], "no file given")]
    [InlineData(new[] { "a.eml", "--frobnicate" }, "unknown option '--frobnicate'")]
    [InlineData(new[] { "a.eml", "--sender-ip", "not-an-ip" }, "--sender-ip must be an IPv4 or IPv6 address")]
    public async Task Bad_arguments_exit_2_with_the_usage(string[] args, string expected)
    {
        var (exit, _, error) = await RunAsync(args);

        Assert.Equal(CheckCommand.UsageError, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_exits_2_naming_it()
    {
        var missing = Path.Combine(_folder, "nope.eml");

        var (exit, _, error) = await RunAsync(missing);

        Assert.Equal(CheckCommand.UsageError, exit);
        Assert.Contains("nope.eml", error, StringComparison.Ordinal);
    }
}
