using System.Text;
using System.Text.Json.Nodes;
using MailKit.Security;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Smtp;

/// <summary>The recorded transcript: every line in order, secrets redacted, the DATA marker tied to the message.</summary>
public sealed class TranscriptTests(MailSinkApp app) : IClassFixture<MailSinkApp>
{
    private const string Password = "Tr4nscript-Secret!";

    [Theory]
    [InlineData("PLAIN")]
    [InlineData("LOGIN")]
    public async Task Starttls_auth_session_transcript_is_complete_ordered_and_redacted(string mechanism)
    {
        var user = $"transcript-{mechanism.ToLowerInvariant()}@example.test";
        string id;
        using (var client = SmtpSending.NewClient())
        {
            client.LocalDomain = "transcript.client.test";
            await client.ConnectAsync("127.0.0.1", app.SubmissionPort, SecureSocketOptions.StartTls);
            client.AuthenticationMechanisms.RemoveWhere(m => m != mechanism);
            await client.AuthenticateAsync(user, Password);
            id = SmtpSending.QueuedId(await client.SendAsync(SmtpSending.NewMessage("transcript", from: "tx@example.test", to: "rx@example.test")));
            await client.DisconnectAsync(quit: true);
        }

        var message = await app.GetMessageAsync(id);
        var sessionId = message["SessionID"]!.GetValue<string>();
        var session = await app.WaitForClosedSessionAsync(sessionId);
        Assert.Equal("quit", session["Outcome"]!.GetValue<string>());
        Assert.Equal(user, session["AuthUser"]!.GetValue<string>());
        Assert.Equal([id], session["MessageIDs"]!.AsArray().Select(m => m!.GetValue<string>()));

        using var transcriptResponse = await app.Http.GetAsync($"/api/v1/message/{id}/transcript");
        var transcriptJson = await transcriptResponse.Content.ReadAsStringAsync();
        Assert.True(transcriptResponse.IsSuccessStatusCode, transcriptJson);
        var transcript = JsonNode.Parse(transcriptJson)!;
        Assert.Equal(sessionId, transcript["Session"]!["ID"]!.GetValue<string>());

        foreach (var lines in new[] { session["Lines"]!.AsArray(), transcript["Lines"]!.AsArray() })
        {
            AssertInOrder(lines, id,
                ("server", l => l.StartsWith($"220 {MailSinkApp.Hostname} ", StringComparison.Ordinal) && l.Contains("MailSink", StringComparison.Ordinal), "greeting"),
                ("client", l => l == "EHLO transcript.client.test", "first EHLO"),
                ("server", l => l.StartsWith("250 ", StringComparison.Ordinal), "first EHLO reply (last line)"),
                ("client", l => l == "STARTTLS", "STARTTLS"),
                ("server", l => l.StartsWith("220 2.0.0", StringComparison.Ordinal), "STARTTLS reply"),
                ("event", l => l.StartsWith("TLS started: TLSv1.", StringComparison.Ordinal), "TLS marker"),
                ("client", l => l == "EHLO transcript.client.test", "second EHLO"),
                ("server", l => l.StartsWith("250 ", StringComparison.Ordinal), "second EHLO reply"),
                ("client", l => l.StartsWith($"AUTH {mechanism}", StringComparison.Ordinal), "AUTH"),
                ("server", l => l.StartsWith("235 2.7.0", StringComparison.Ordinal), "AUTH success"),
                ("client", l => l.StartsWith("MAIL FROM:<tx@example.test>", StringComparison.Ordinal), "MAIL"),
                ("client", l => l.StartsWith("RCPT TO:<rx@example.test>", StringComparison.Ordinal), "RCPT"),
                ("server", l => l.StartsWith("250 2.1.5", StringComparison.Ordinal), "RCPT reply"),
                ("client", l => l == "DATA", "DATA"),
                ("server", l => l.StartsWith("354", StringComparison.Ordinal), "354"),
                ("event", l => l.StartsWith("DATA content:", StringComparison.Ordinal) && l.Contains(id, StringComparison.Ordinal), "DATA marker with the message ID"),
                ("server", l => l == $"250 2.0.0 Ok: queued as {id}", "queued reply"),
                ("client", l => l == "QUIT", "QUIT"),
                ("server", l => l.StartsWith("221 2.0.0", StringComparison.Ordinal), "221"));

            // MailKit pipelines MAIL and RCPT (RFC 2920), so MAIL's reply may follow RCPT: it must come after MAIL and before DATA.
            var texts = lines.Select(l => l!["Text"]!.GetValue<string>()).ToList();
            var mailAt = texts.FindIndex(t => t.StartsWith("MAIL FROM:", StringComparison.Ordinal));
            var mailReplyAt = texts.FindIndex(t => t.StartsWith("250 2.1.0", StringComparison.Ordinal));
            Assert.InRange(mailReplyAt, mailAt + 1, texts.IndexOf("DATA") - 1);

            var marker = lines.Single(l => l!["Text"]!.GetValue<string>().StartsWith("DATA content:", StringComparison.Ordinal))!;
            Assert.Equal(id, marker["MessageID"]!.GetValue<string>());
        }

        // The secret must not appear in any form: plain, PLAIN's base64 response, or LOGIN's base64 password.
        var everything = transcriptJson + session.ToJsonString() + message.ToJsonString();
        foreach (var secret in new[]
        {
            Password,
            Convert.ToBase64String(Encoding.UTF8.GetBytes(Password)),
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{user}\0{Password}")),
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}\0{user}\0{Password}")),
        })
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_session_that_only_drops_is_listed_as_client_disconnected()
    {
        var helo = $"drop-{Guid.NewGuid():N}.test";
        await using (var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort, helo))
        {
            // Closed without QUIT on dispose.
        }

        var listed = await app.WaitForListedSessionAsync(s => s["Helo"]?.GetValue<string>() == helo, $"session with HELO {helo}");
        Assert.Equal("client-disconnected", listed["Outcome"]!.GetValue<string>());
        Assert.Empty(listed["MessageIDs"]!.AsArray());
        Assert.Equal("smtp", listed["Listener"]!.GetValue<string>());

        var session = await app.GetJsonAsync($"/api/v1/session/{listed["ID"]!.GetValue<string>()}");
        var texts = session["Lines"]!.AsArray().Select(l => l!["Text"]!.GetValue<string>()).ToList();
        Assert.StartsWith("220 ", texts[0], StringComparison.Ordinal);
        Assert.Contains($"EHLO {helo}", texts);
        Assert.Contains("client closed the connection", texts[^1], StringComparison.Ordinal);
    }

    private static void AssertInOrder(JsonArray lines, string id, params (string Direction, Func<string, bool> Match, string What)[] expected)
    {
        var all = lines.Select(l => (Direction: l!["Direction"]!.GetValue<string>(), Text: l["Text"]!.GetValue<string>())).ToList();
        var position = 0;
        foreach (var (direction, match, what) in expected)
        {
            while (position < all.Count && !(all[position].Direction == direction && match(all[position].Text)))
            {
                position++;
            }

            Assert.True(position < all.Count, $"transcript of {id}: '{what}' not found in order. Transcript:\n{string.Join("\n", all.Select(l => $"{l.Direction}: {l.Text}"))}");
            position++;
        }
    }
}
