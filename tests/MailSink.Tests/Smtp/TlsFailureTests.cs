using System.Net;
using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Smtp;

/// <summary>
/// A failed TLS handshake is explained in the session's transcript (and the log) in words a developer can
/// act on, with the certificate's fingerprint, and the session ends "tls-failed" rather than
/// "client-disconnected" after "TLS started".
/// </summary>
public sealed class TlsFailureTests(DefaultBindApp app) : IClassFixture<DefaultBindApp>
{
    [Theory]
    [InlineData("submission", SecureSocketOptions.StartTls)]
    [InlineData("smtps", SecureSocketOptions.SslOnConnect)]
    public async Task A_MailKit_client_that_rejects_the_certificate_fails_and_the_transcript_names_the_fingerprint_and_the_fix(string listener, SecureSocketOptions security)
    {
        var port = listener == "smtps" ? app.SmtpsPort : app.SubmissionPort;
        string? fingerprint = null;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        var clientPort = ((IPEndPoint)socket.LocalEndPoint!).Port;
        using var client = new SmtpClient
        {
            ServerCertificateValidationCallback = (_, certificate, _, _) =>
            {
                fingerprint = TlsSessions.Fingerprint(certificate!);
                return false;
            },
        };

        await Assert.ThrowsAsync<SslHandshakeException>(() => client.ConnectAsync(socket, "localhost", port, security));
        socket.Close();

        Assert.NotNull(fingerprint);
        var session = await TlsSessions.WaitForSessionFromAsync(app, clientPort);
        Assert.Equal("tls-failed", session["Outcome"]!.GetValue<string>());
        var explanation = Assert.Single(TlsSessions.Texts(session), t => t.StartsWith("TLS handshake failed: ", StringComparison.Ordinal));
        Assert.Contains("rejected MailSink's self-signed certificate", explanation, StringComparison.Ordinal);
        Assert.Contains($"SHA-256 fingerprint {fingerprint}", explanation, StringComparison.Ordinal);
        Assert.Contains($"use port {app.SmtpPort} without TLS", explanation, StringComparison.Ordinal);
        Assert.Equal(explanation, session["Error"]!.GetValue<string>());
    }

    [ToolFact("npm")]
    public async Task Nodemailer_that_rejects_the_certificate_fails_and_the_transcript_names_the_fingerprint_and_the_fix()
    {
        var helo = $"node-{Guid.NewGuid():N}.test";
        var (exitCode, output) = await Nodemailer.SendAsync(new { host = "localhost", port = app.SubmissionPort, secure = false, name = helo }, "rejected");

        Assert.True(exitCode != 0, $"nodemailer should have rejected the self-signed certificate: {output}");
        var listed = await app.WaitForListedSessionAsync(s => s["Helo"]?.GetValue<string>() == helo, $"session with HELO {helo}");
        Assert.Equal("tls-failed", listed["Outcome"]!.GetValue<string>());
        var session = await app.GetJsonAsync($"/api/v1/session/{listed["ID"]!.GetValue<string>()}");
        var explanation = Assert.Single(TlsSessions.Texts(session), t => t.StartsWith("TLS handshake failed: ", StringComparison.Ordinal));
        Assert.Contains("rejected MailSink's self-signed certificate (SHA-256 fingerprint ", explanation, StringComparison.Ordinal);
        Assert.Contains($"use port {app.SmtpPort} without TLS", explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_text_sent_to_the_implicit_TLS_port_is_closed_without_a_plaintext_reply_and_explained()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, app.SmtpsPort);
        var clientPort = ((IPEndPoint)tcp.Client.LocalEndPoint!).Port;
        var stream = tcp.GetStream();
        await stream.WriteAsync("EHLO plain.client.test\r\n"u8.ToArray());

        var received = await TlsSessions.ReadUntilClosedAsync(stream, TimeSpan.FromSeconds(10));
        Assert.DoesNotContain("220", System.Text.Encoding.ASCII.GetString(received), StringComparison.Ordinal);

        var session = await TlsSessions.WaitForSessionFromAsync(app, clientPort);
        Assert.Equal("tls-failed", session["Outcome"]!.GetValue<string>());
        var explanation = Assert.Single(TlsSessions.Texts(session), t => t.StartsWith("TLS handshake failed: ", StringComparison.Ordinal));
        Assert.True(explanation.Contains("did not speak TLS", StringComparison.Ordinal), explanation);
        Assert.Contains($"use port {app.SmtpPort} for SMTP without TLS", explanation, StringComparison.Ordinal);
    }
}
