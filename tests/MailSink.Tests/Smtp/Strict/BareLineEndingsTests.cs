using System.Text;
using MailSink.Tests.TestHost;
using static MailSink.Tests.Smtp.Strict.StrictSteps;

namespace MailSink.Tests.Smtp.Strict;

/// <summary>
/// Smtp:BareLineEndings=Reject: a DATA with a bare CR or LF (the SMTP smuggling pattern, RFC 5321 section 2.3.8)
/// gets 550 5.6.11 at its end, nothing is stored, and the connection stays usable. Raw sockets only: MailKit writes
/// CRLF whatever the message holds, so it cannot send a bare line ending.
/// </summary>
public sealed class BareLineEndingsTests(StrictApp app) : IClassFixture<StrictApp>
{
    [Theory]
    [InlineData("bare LF", "line one\nline two\r\n")]
    [InlineData("bare CR", "line one\rline two\r\n")]
    [InlineData("the smuggling sequence LF.LF", "first\n.\nMAIL FROM:<smuggled@example.test>\r\n")]
    public async Task Data_with_a_bare_line_ending_is_refused_with_550_5_6_11_and_not_stored(string name, string body)
    {
        var subject = $"bare-{Guid.NewGuid():N}";
        await using var client = await AuthenticatedAsync();
        await RunAsync(client, name, ["MAIL FROM:<a@example.test> => 250", "RCPT TO:<b@example.test> => 250", "DATA => 354"]);
        await client.SendAsync(Encoding.ASCII.GetBytes($"Subject: {subject}\r\n\r\n{body}.\r\n"));

        var reply = await client.ReadReplyAsync();
        Assert.True(reply.Code == 550 && reply.Lines[0].StartsWith("5.6.11 ", StringComparison.Ordinal), $"{name}: {reply}");

        // The connection goes on: a clean message right after is stored.
        var clean = $"clean-{Guid.NewGuid():N}";
        await RunAsync(client, name, ["MAIL FROM:<a@example.test> => 250", "RCPT TO:<b@example.test> => 250", "DATA => 354"]);
        await client.SendAsync(Encoding.ASCII.GetBytes($"Subject: {clean}\r\n\r\nfine\r\n.\r\n"));
        var queued = await client.ReadReplyAsync();
        Assert.Equal(250, queued.Code);
        await app.WaitForMessageAsync(SmtpSending.QueuedId(queued.Text));

        var subjects = (await app.ListAllMessagesAsync()).Select(m => m["Subject"]?.GetValue<string>()).ToList();
        Assert.Contains(clean, subjects);
        Assert.DoesNotContain(subject, subjects);
    }

    private async Task<RawSmtpClient> AuthenticatedAsync()
    {
        var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort, from: FreshAddress());
        await RunAsync(client, "auth", [$"AUTH PLAIN {B64($"\0{StrictApp.Ann}\0{StrictApp.AnnPassword}")} => 235"]);
        return client;
    }
}
