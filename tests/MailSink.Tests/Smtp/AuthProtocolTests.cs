using System.Text;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Smtp;

/// <summary>
/// AUTH over a raw socket (RFC 4954, PLAIN per RFC 4616, LOGIN): exactly one reply per line, always,
/// so the conversation never falls out of step (issue 13, defect 7). Every case ends with a MAIL
/// that must get 250: a desynchronised server answers it with the previous command's reply.
/// </summary>
public sealed class AuthProtocolTests(MailSinkApp app) : IClassFixture<MailSinkApp>
{
    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    /// <summary>Each step is "line => code [enhanced code or challenge]".</summary>
    public static TheoryData<string, string[]> Cases => new()
    {
        { "PLAIN token without NULs", [$"AUTH PLAIN {B64("just-a-user")} => 535 5.7.8"] },
        { "PLAIN token with one NUL", [$"AUTH PLAIN {B64("user\0pass")} => 535 5.7.8"] },
        { "PLAIN initial response not base64", ["AUTH PLAIN !!! => 501 5.5.2"] },
        { "PLAIN response not base64", ["AUTH PLAIN => 334", "!!! => 501 5.5.2"] },
        { "PLAIN cancelled", ["AUTH PLAIN => 334", "* => 501 5.7.0"] },
        { "LOGIN user name not base64", ["AUTH LOGIN => 334 VXNlcm5hbWU6", "%%% => 501 5.5.2"] },
        { "LOGIN password not base64", ["AUTH LOGIN => 334 VXNlcm5hbWU6", $"{B64("user")} => 334 UGFzc3dvcmQ6", "%%% => 501 5.5.2"] },
        { "LOGIN cancelled at the user name", ["AUTH LOGIN => 334 VXNlcm5hbWU6", "* => 501 5.7.0"] },
        { "LOGIN cancelled at the password", ["AUTH LOGIN => 334 VXNlcm5hbWU6", $"{B64("user")} => 334 UGFzc3dvcmQ6", "* => 501 5.7.0"] },
        { "DATA as the LOGIN user name and password (valid base64, not a command)", ["AUTH LOGIN => 334 VXNlcm5hbWU6", "DATA => 334 UGFzc3dvcmQ6", "DATA => 235 2.7.0"] },
        { "LOGIN initial response not base64", ["AUTH LOGIN !!! => 501 5.5.2"] },
        { "unknown mechanism", ["AUTH DIGEST-MD5 => 504 5.5.4"] },
        { "CRAM-MD5 accepted whatever the digest (no users configured)", ["AUTH CRAM-MD5 => 334", $"{B64("user 0123456789abcdef0123456789abcdef")} => 235 2.7.0"] },
        { "CRAM-MD5 response without a digest", ["AUTH CRAM-MD5 => 334", $"{B64("just-a-user")} => 535 5.7.8"] },
        { "CRAM-MD5 with an initial response", [$"AUTH CRAM-MD5 {B64("user x")} => 501 5.5.4"] },
        { "CRAM-MD5 cancelled", ["AUTH CRAM-MD5 => 334", "* => 501 5.7.0"] },
        { "no mechanism", ["AUTH => 501 5.5.4"] },
        { "three failures in a row", ["AUTH PLAIN !!! => 501 5.5.2", "AUTH PLAIN => 334", "* => 501 5.7.0", $"AUTH PLAIN {B64("x")} => 535 5.7.8"] },
        { "PLAIN accepted", [$"AUTH PLAIN {B64("\0user\0pass")} => 235 2.7.0"] },
        { "PLAIN accepted after a challenge", ["AUTH PLAIN => 334", $"{B64("authz\0user\0pass")} => 235 2.7.0"] },
        { "LOGIN accepted", ["AUTH LOGIN => 334 VXNlcm5hbWU6", $"{B64("user")} => 334 UGFzc3dvcmQ6", $"{B64("pass")} => 235 2.7.0"] },
        { "LOGIN accepted with the user name on the AUTH line", [$"AUTH LOGIN {B64("user")} => 334 UGFzc3dvcmQ6", $"{B64("pass")} => 235 2.7.0"] },
        { "a second AUTH after success", [$"AUTH PLAIN {B64("\0user\0pass")} => 235 2.7.0", $"AUTH PLAIN {B64("\0other\0pass")} => 503 5.5.1"] },
        { "AUTH inside a mail transaction", ["MAIL FROM:<t@example.test> => 250 2.1.0", $"AUTH PLAIN {B64("\0user\0pass")} => 503 5.5.1", "RSET => 250 2.0.0"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_auth_line_gets_exactly_one_reply_and_the_next_command_its_own(string name, string[] steps)
    {
        await using var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort);
        foreach (var step in steps.Append("MAIL FROM:<after-auth@example.test> => 250 2.1.0"))
        {
            var split = step.IndexOf(" => ", StringComparison.Ordinal);
            var (line, expected) = (step[..split], step[(split + 4)..]);
            var reply = await client.CommandAsync(line);
            var expectedParts = expected.Split(' ');
            var actual = expectedParts.Length == 1 ? $"{reply.Code}" : $"{reply.Code} {reply.Lines[^1].Split(' ')[0]}";
            Assert.True(expected == actual, $"{name}: '{line}' expected {expected}, got {reply}");
        }

        // Nothing more is owed: a second reply to any line above would be waiting here.
        var noop = await client.CommandAsync("NOOP");
        Assert.True(noop.Code == 250 && noop.Lines[0].StartsWith("2.0.0", StringComparison.Ordinal), $"{name}: NOOP got {noop}");
    }

    [Fact]
    public async Task Pipelined_auth_failure_and_mail_are_answered_in_order()
    {
        await using var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort);
        await client.SendAsync(Encoding.ASCII.GetBytes($"AUTH PLAIN {B64("no-nuls-here")}\r\nMAIL FROM:<p@example.test>\r\nRCPT TO:<r@example.test>\r\n"));

        Assert.Equal(535, (await client.ReadReplyAsync()).Code);
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        var rcpt = await client.ReadReplyAsync();
        Assert.Equal((250, "2.1.5"), (rcpt.Code, rcpt.Lines[0][..5]));
    }

    [Fact]
    public async Task Successful_auth_names_the_user_on_the_message_and_in_the_session()
    {
        var helo = $"auth-{Guid.NewGuid():N}.test";
        await using var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort, helo);
        Assert.Equal(334, (await client.CommandAsync("AUTH LOGIN")).Code);
        Assert.Equal(334, (await client.CommandAsync(B64("raw-user"))).Code);
        Assert.Equal(235, (await client.CommandAsync(B64("raw-secret"))).Code);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@example.test>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<r@example.test>")).Code);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        var queued = await client.CommandAsync("Subject: auth\r\n\r\nbody\r\n.");
        Assert.Equal(221, (await client.CommandAsync("QUIT")).Code);

        var message = await app.GetMessageAsync(SmtpSending.QueuedId(queued.Text));
        Assert.Equal("raw-user", message["Username"]!.GetValue<string>());
        var session = await app.WaitForClosedSessionAsync(message["SessionID"]!.GetValue<string>());
        Assert.Equal("raw-user", session["AuthUser"]!.GetValue<string>());
        var transcript = string.Join("\n", session["Lines"]!.AsArray().Select(l => l!["Text"]!.GetValue<string>()));
        Assert.DoesNotContain("raw-secret", transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(B64("raw-secret"), transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_before_starttls_on_submission_gets_538_and_the_session_goes_on()
    {
        await using var client = await RawSmtpClient.ConnectAndEhloAsync(app.SubmissionPort);
        var reply = await client.CommandAsync($"AUTH PLAIN {B64("\0user\0pass")}");
        Assert.Equal((538, "5.7.11"), (reply.Code, reply.Lines[0].Split(' ')[0]));
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@example.test>")).Code);
    }

    [Fact]
    public async Task MailKit_with_only_cram_md5_is_accepted_whatever_the_password_and_the_user_is_recorded()
    {
        using var client = await SmtpSending.ConnectAsync(app.SmtpPort, MailKit.Security.SecureSocketOptions.None);
        Assert.Contains("CRAM-MD5", client.AuthenticationMechanisms);
        client.AuthenticationMechanisms.RemoveWhere(m => m != "CRAM-MD5");

        await client.AuthenticateAsync("cram-user", "any-password-at-all");
        var reply = await client.SendAsync(SmtpSending.NewMessage("cram"));
        await client.DisconnectAsync(quit: true);

        var message = await app.GetMessageAsync(SmtpSending.QueuedId(reply));
        Assert.Equal("cram-user", message["Username"]!.GetValue<string>());

        // The transcript names the user of the CRAM-MD5 response, not the response itself.
        var session = await app.WaitForClosedSessionAsync(message["SessionID"]!.GetValue<string>());
        var lines = session["Lines"]!.AsArray().Select(l => l!["Text"]!.GetValue<string>()).ToList();
        Assert.Contains("[credentials redacted; user: cram-user]", lines);
    }
}
