using System.Text;
using MailSink.Diagnostics;
using MailSink.Tests.Mime;

namespace MailSink.Tests.Diagnostics;

/// <summary>Each header, MIME and content check has a message in tests/TestData/checks that trips it; clean.eml trips none.</summary>
public sealed class ContentCheckTests
{
    private static string Root => Path.Combine(AppContext.BaseDirectory, "TestData", "checks");

    private static readonly FindingArea[] ContentAreas = [FindingArea.Headers, FindingArea.Mime, FindingArea.Content, FindingArea.Smtp];

    private static async Task<MessageChecks> CheckFileAsync(string file, Domain.Envelope? envelope = null) =>
        await Checks.RunAsync(Corpus.ToCrlf(await File.ReadAllTextAsync(Path.Combine(Root, file))), envelope: envelope ?? Checks.Envelope(mailFrom: "news@shop.example", helo: "mta.shop.example"));

    [Theory]
    [InlineData("repeated-subject.eml", "headers.repeated-subject", FindingSeverity.Error)]
    [InlineData("multiple-from.eml", "headers.multiple-from-without-sender", FindingSeverity.Error)]
    [InlineData("message-id-malformed.eml", "headers.message-id-malformed", FindingSeverity.Warning)]
    [InlineData("missing-date.eml", "headers.date-missing", FindingSeverity.Error)]
    [InlineData("long-line.eml", "mime.line-too-long", FindingSeverity.Error)]
    [InlineData("eight-bit-body.eml", "smtp.8bit-without-8bitmime", FindingSeverity.Error)]
    [InlineData("eight-bit-header.eml", "headers.8bit-without-smtputf8", FindingSeverity.Error)]
    [InlineData("html-only.eml", "content.html-only", FindingSeverity.Warning)]
    [InlineData("bulk-no-unsubscribe.eml", "headers.list-unsubscribe-missing", FindingSeverity.Warning)]
    [InlineData("bulk-no-one-click.eml", "headers.one-click-missing", FindingSeverity.Warning)]
    [InlineData("bulk-one-click.eml", "headers.one-click", FindingSeverity.Pass)]
    [InlineData("broken-boundary.eml", "mime.malformed", FindingSeverity.Warning)]
    [InlineData("encoded-word-invalid.eml", "headers.encoded-word-invalid", FindingSeverity.Warning)]
    public async Task A_message_that_breaks_a_rule_has_the_finding_for_it(string file, string code, FindingSeverity severity)
    {
        var checks = await CheckFileAsync(file);

        var finding = Assert.Single(checks.Findings, f => f.Code == code);
        Assert.Equal(severity, finding.Severity);
        Assert.StartsWith("RFC ", finding.Rfc, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(finding.Message));
    }

    [Fact]
    public async Task The_clean_message_has_no_header_MIME_content_or_SMTP_finding_worse_than_info()
    {
        var checks = await CheckFileAsync("clean.eml");

        Assert.DoesNotContain(checks.Findings, f => ContentAreas.Contains(f.Area) && f.Severity is FindingSeverity.Error or FindingSeverity.Warning);
    }

    [Fact]
    public async Task Eight_bit_body_sent_with_BODY_8BITMIME_is_fine()
    {
        var envelope = Checks.Envelope(mailFrom: "news@shop.example", helo: "mta.shop.example");
        envelope.MailParameters["BODY"] = "8BITMIME";

        var checks = await CheckFileAsync("eight-bit-body.eml", envelope);

        Assert.DoesNotContain(checks.Findings, f => f.Code == "smtp.8bit-without-8bitmime");
    }

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("my_laptop", true)]
    [InlineData("mta.shop.example", false)]
    [InlineData("[192.0.2.10]", false)]
    public async Task An_EHLO_name_must_be_a_FQDN_or_an_address_literal(string helo, bool flagged)
    {
        var checks = await CheckFileAsync("clean.eml", Checks.Envelope(mailFrom: "news@shop.example", helo: helo));

        Assert.Equal(flagged, checks.Findings.Any(f => f.Code == "smtp.helo-not-fqdn"));
    }

    [Fact]
    public async Task A_bare_LF_end_of_data_lookalike_is_reported_with_its_offset_and_sequence()
    {
        var text = "From: news@shop.example\r\nTo: rcpt@example.test\r\nSubject: x\r\n\r\nHello\n.\nMAIL FROM:<evil@example.test>\r\n";
        var raw = Encoding.ASCII.GetBytes(text);

        var checks = await Checks.RunAsync(raw);

        var finding = Assert.Single(checks.Findings, f => f.Code == "smtp.smuggling-sequence");
        Assert.Contains($@"\n.\n at byte {text.IndexOf("\n.\n", StringComparison.Ordinal)}", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dot_line_between_CRLFs_is_content_not_smuggling()
    {
        var raw = Encoding.ASCII.GetBytes("From: news@shop.example\r\nSubject: x\r\n\r\nHello\r\n.\r\nBye\r\n");

        var checks = await Checks.RunAsync(raw);

        Assert.DoesNotContain(checks.Findings, f => f.Code == "smtp.smuggling-sequence");
    }

    [Fact]
    public async Task Envelope_only_recipients_and_a_different_MAIL_FROM_domain_are_information()
    {
        var envelope = Checks.Envelope(mailFrom: "bounce@mailer.example", rcpt: ["rcpt@example.test", "hidden@example.test"]);

        var checks = await CheckFileAsync("clean.eml", envelope);

        Assert.Equal(FindingSeverity.Info, Assert.Single(checks.Findings, f => f.Code == "smtp.envelope-only-recipients").Severity);
        Assert.Contains("hidden@example.test", checks.Findings.Single(f => f.Code == "smtp.envelope-only-recipients").Message, StringComparison.Ordinal);
        Assert.Equal(FindingSeverity.Info, Assert.Single(checks.Findings, f => f.Code == "smtp.envelope-from-differs").Severity);
    }

    [Fact]
    public async Task A_UTF8_envelope_address_without_SMTPUTF8_is_an_error()
    {
        var checks = await CheckFileAsync("clean.eml", Checks.Envelope(mailFrom: "news@shop.example", rcpt: ["jörg@example.test"]));

        Assert.Contains(checks.Findings, f => f.Code == "smtp.utf8-address-without-smtputf8");
    }

    [Fact]
    public async Task A_message_over_25_MB_is_flagged()
    {
        var line = new string('A', 76) + "\r\n";
        var body = new StringBuilder("From: news@shop.example\r\nSubject: big\r\n\r\n");
        while (body.Length < 26 * 1024 * 1024)
        {
            body.Append(line);
        }

        var checks = await Checks.RunAsync(Encoding.ASCII.GetBytes(body.ToString()));

        Assert.Contains(checks.Findings, f => f.Code == "content.too-large");
    }

    [Fact]
    public async Task Findings_are_ordered_worst_first_and_counted()
    {
        var checks = await CheckFileAsync("repeated-subject.eml");

        Assert.Equal(checks.Findings.OrderBy(f => f.Severity).Select(f => f.Severity), checks.Findings.Select(f => f.Severity));
        Assert.Equal(checks.Findings.Count(f => f.Severity == FindingSeverity.Error), checks.Counts.Error);
        Assert.Equal(checks.Findings.Count, checks.Counts.Error + checks.Counts.Warning + checks.Counts.Info + checks.Counts.Pass);
    }

    [Fact]
    public async Task Valid_encoded_words_in_two_charsets_are_not_flagged()
    {
        var checks = await CheckFileAsync("encoded-word-valid.eml");

        Assert.DoesNotContain(checks.Findings, f => f.Code == "headers.encoded-word-invalid");
    }

    [Theory]
    [InlineData("203.0.113.5 PTR mta.shop.example", null)]
    [InlineData("203.0.113.5 PTR dsl-203-0-113-5.isp.example", "smtp.helo-ptr-mismatch")]
    [InlineData("203.0.113.9 PTR mta.shop.example", "smtp.no-ptr")]
    public async Task With_DNS_answers_the_EHLO_name_is_compared_with_the_client_address_PTR(string zoneLine, string? code)
    {
        using var zone = new DnsZoneFile(zoneLine + "\n");
        var envelope = Checks.Envelope(mailFrom: "news@shop.example", helo: "mta.shop.example", client: "203.0.113.5");

        var checks = await Checks.RunAsync(Corpus.ToCrlf(await File.ReadAllTextAsync(Path.Combine(Root, "clean.eml"))), zone.Resolver, envelope);

        var ptrCodes = checks.Findings.Select(f => f.Code).Where(c => c is "smtp.no-ptr" or "smtp.helo-ptr-mismatch").ToList();
        Assert.Equal(code is null ? [] : [code], ptrCodes);
    }
}
