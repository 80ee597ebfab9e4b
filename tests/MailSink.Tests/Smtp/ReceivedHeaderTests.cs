using System.Text;
using System.Text.RegularExpressions;
using MailKit.Security;
using MailSink.Tests.TestHost;
using MimeKit.Utils;

namespace MailSink.Tests.Smtp;

/// <summary>The Received header MailSink prepends, and the parsed hop chain it heads.</summary>
public sealed class ReceivedHeaderTests(MailSinkApp app) : IClassFixture<MailSinkApp>
{
    private const string ThreeHops =
        "Received: from mx.example.org (mx.example.org [198.51.100.7])\r\n" +
        "\tby inbox.example.net (Postfix) with ESMTPS id 4VtXyZ1abc\r\n" +
        "\tfor <bob@example.net>; Tue, 04 Jun 2024 10:00:30 +0000\r\n" +
        "Received: from relay.example.com (relay.example.com [203.0.113.5])\r\n" +
        "\tby mx.example.org with ESMTP id x1; Tue, 04 Jun 2024 10:00:10 +0000\r\n" +
        "Received: from [192.0.2.10] (client.example.com [192.0.2.10])\r\n" +
        "\tby relay.example.com with ESMTPSA id abc; Tue, 04 Jun 2024 09:59:55 +0000\r\n" +
        "From: alice@example.com\r\n" +
        "To: bob@example.net\r\n" +
        "Subject: hops\r\n" +
        "\r\n" +
        "body\r\n";

    [Theory]
    [InlineData("smtp", false, false, "ESMTP")]
    [InlineData("submission", true, false, "ESMTPS")]
    [InlineData("submission", true, true, "ESMTPSA")]
    [InlineData("smtps", true, true, "ESMTPSA")]
    public async Task Received_header_is_first_and_names_helo_address_host_protocol_id_recipient_and_date(string listener, bool tls, bool auth, string protocol)
    {
        var port = listener switch { "smtp" => app.SmtpPort, "submission" => app.SubmissionPort, _ => app.SmtpsPort };
        var security = listener == "smtps" ? SecureSocketOptions.SslOnConnect : tls ? SecureSocketOptions.StartTls : SecureSocketOptions.None;
        using var client = SmtpSending.NewClient();
        client.LocalDomain = "helo.client.test";
        await client.ConnectAsync("127.0.0.1", port, security);
        if (auth)
        {
            await client.AuthenticateAsync("received-user", "pw");
        }

        var id = SmtpSending.QueuedId(await client.SendAsync(SmtpSending.NewMessage("received", to: "only@example.test")));
        await client.DisconnectAsync(quit: true);

        var (received, _) = RawMessage.SplitFirstHeader(await app.GetRawAsync(id));
        var unfolded = received.Replace("\r\n", "", StringComparison.Ordinal);
        Assert.Matches(@"^Received: from helo\.client\.test \([^)]*\[127\.0\.0\.1\]\)", unfolded);
        Assert.Contains($"by {MailSinkApp.Hostname} (MailSink) with {protocol} id {id}", unfolded, StringComparison.Ordinal);
        Assert.Contains("for <only@example.test>;", unfolded, StringComparison.Ordinal);
        Assert.Equal(tls, unfolded.Contains("(using TLSv1.", StringComparison.Ordinal));
        var date = unfolded[(unfolded.LastIndexOf(';') + 1)..].Trim();
        Assert.True(DateUtils.TryParse(date, out var parsed), $"unparseable date '{date}'");
        Assert.InRange(parsed, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
    }

    [Fact]
    public async Task Helo_gives_smtp_and_two_recipients_give_no_for_clause()
    {
        await using var client = await RawSmtpClient.ConnectAsync(app.SmtpPort);
        await client.ReadReplyAsync();
        Assert.Equal(250, (await client.CommandAsync("HELO old.client.test")).Code);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@example.test>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<first@example.test>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<second@example.test>")).Code);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        await client.SendAsync("Subject: two\r\n\r\nhi\r\n.\r\n"u8.ToArray());
        var id = SmtpSending.QueuedId((await client.ReadReplyAsync()).Text);

        var (received, _) = RawMessage.SplitFirstHeader(await app.GetRawAsync(id));
        Assert.StartsWith("Received: from old.client.test (", received, StringComparison.Ordinal);
        Assert.Contains($"(MailSink) with SMTP id {id};", received, StringComparison.Ordinal);
        Assert.DoesNotContain("for <", received, StringComparison.Ordinal);
        Assert.DoesNotContain("first@example.test", received, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hop_chain_has_MailSink_first_then_the_original_three_in_order()
    {
        using var client = await SmtpSending.ConnectAsync(app.SubmissionPort, SecureSocketOptions.StartTls);
        await client.AuthenticateAsync("hops", "pw");
        var message = await MimeKit.MimeMessage.LoadAsync(new MemoryStream(Encoding.ASCII.GetBytes(ThreeHops)));
        var id = SmtpSending.QueuedId(await client.SendAsync(message, MimeKit.MailboxAddress.Parse("alice@example.com"), [MimeKit.MailboxAddress.Parse("bob@example.net")]));
        await client.DisconnectAsync(quit: true);

        var (_, content) = RawMessage.SplitFirstHeader(await app.GetRawAsync(id));
        Assert.StartsWith(ThreeHops[..ThreeHops.IndexOf("From:", StringComparison.Ordinal)], Encoding.ASCII.GetString(content), StringComparison.Ordinal);

        var hops = (await app.GetJsonAsync($"/api/v1/message/{id}/received")).AsArray();
        Assert.Equal(4, hops.Count);
        Assert.Equal([0, 1, 2, 3], hops.Select(h => h!["Index"]!.GetValue<int>()));

        var mine = hops[0]!;
        Assert.Equal($"{MailSinkApp.Hostname} (MailSink)", mine["By"]!.GetValue<string>());
        Assert.Equal("ESMTPSA", mine["With"]!.GetValue<string>());
        Assert.Equal(id, mine["Id"]!.GetValue<string>());
        Assert.Equal("bob@example.net", mine["For"]!.GetValue<string>());
        Assert.Contains("[127.0.0.1]", mine["From"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(mine["Date"]);
        Assert.Null(mine["Note"]);

        Assert.Equal(["inbox.example.net (Postfix)", "mx.example.org", "relay.example.com"], hops.Skip(1).Select(h => h!["By"]!.GetValue<string>()));
        Assert.Equal(["mx.example.org (mx.example.org [198.51.100.7])", "relay.example.com (relay.example.com [203.0.113.5])", "[192.0.2.10] (client.example.com [192.0.2.10])"], hops.Skip(1).Select(h => h!["From"]!.GetValue<string>()));
        Assert.Equal(["ESMTPS", "ESMTP", "ESMTPSA"], hops.Skip(1).Select(h => h!["With"]!.GetValue<string>()));
        Assert.Equal(["4VtXyZ1abc", "x1", "abc"], hops.Skip(1).Select(h => h!["Id"]!.GetValue<string>()));
        Assert.Equal("bob@example.net", hops[1]!["For"]!.GetValue<string>());
        Assert.Equal(
            [new DateTimeOffset(2024, 6, 4, 10, 0, 30, TimeSpan.Zero), new DateTimeOffset(2024, 6, 4, 10, 0, 10, TimeSpan.Zero), new DateTimeOffset(2024, 6, 4, 9, 59, 55, TimeSpan.Zero)],
            hops.Skip(1).Select(h => h!["Date"]!.GetValue<DateTimeOffset>()));
        Assert.Equal([20.0, 15.0], hops.Skip(1).Take(2).Select(h => h!["DelaySeconds"]!.GetValue<double>()));
    }
}
