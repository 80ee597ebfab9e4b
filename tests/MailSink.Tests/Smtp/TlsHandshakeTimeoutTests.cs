using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MailKit.Security;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Smtp;

/// <summary>
/// Issue 13 defect 6: sockets that connect and never start TLS are closed after the handshake timeout,
/// so they cannot hold every slot, and the implicit-TLS port never answers in plain text.
/// </summary>
public sealed class TlsHandshakeTimeoutTests(ShortTlsHandshakeApp app) : IClassFixture<ShortTlsHandshakeApp>
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_socket_that_sends_nothing_to_the_implicit_TLS_port_is_closed_after_the_timeout_while_a_TLS_client_is_served()
    {
        using var silent = new TcpClient();
        var watch = Stopwatch.StartNew();
        await silent.ConnectAsync(IPAddress.Loopback, app.SmtpsPort);
        var clientPort = ((IPEndPoint)silent.Client.LocalEndPoint!).Port;
        var closed = TlsSessions.ReadUntilClosedAsync(silent.GetStream(), Generous);

        // The other slot still serves a real client while the silent one waits.
        var id = await SmtpSending.SendOneAsync(app.SmtpsPort, SmtpSending.NewMessage("served meanwhile"), SecureSocketOptions.SslOnConnect);
        Assert.False(closed.IsCompleted, "the silent socket was closed before the TLS client was served");

        Assert.Empty(await closed);
        Assert.InRange(watch.Elapsed, ShortTlsHandshakeApp.HandshakeTimeout * 0.8, Generous);
        await app.GetMessageAsync(id);

        var session = await TlsSessions.WaitForSessionFromAsync(app, clientPort);
        Assert.Equal("tls-failed", session["Outcome"]!.GetValue<string>());
        Assert.Contains(TlsSessions.Texts(session), t => t.StartsWith("TLS handshake failed: no TLS handshake within 1 s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_client_that_sends_STARTTLS_and_then_nothing_is_closed_after_the_timeout()
    {
        await using var client = await RawSmtpClient.ConnectAndEhloAsync(app.SubmissionPort);
        Assert.Equal(220, (await client.CommandAsync("STARTTLS")).Code);
        var watch = Stopwatch.StartNew();

        var closed = await client.IsClosedByServerAsync();

        Assert.True(closed, "the server did not close a connection that never started its TLS handshake");
        Assert.InRange(watch.Elapsed, ShortTlsHandshakeApp.HandshakeTimeout * 0.8, Generous);
    }

    [Fact]
    public async Task With_every_slot_taken_the_implicit_TLS_port_refuses_by_closing_and_the_slots_free_up_after_the_timeout()
    {
        var silent = new List<TcpClient>();
        try
        {
            for (var i = 0; i < ShortTlsHandshakeApp.MaxConnections; i++)
            {
                var socket = new TcpClient();
                await socket.ConnectAsync(IPAddress.Loopback, app.SmtpsPort);
                silent.Add(socket);
            }

            // Over the limit: closed at once, and never a plaintext 421 a TLS client would read as garbage.
            using (var refused = new TcpClient())
            {
                await refused.ConnectAsync(IPAddress.Loopback, app.SmtpsPort);
                var received = await TlsSessions.ReadUntilClosedAsync(refused.GetStream(), ShortTlsHandshakeApp.HandshakeTimeout * 0.8);
                Assert.DoesNotContain("421", Encoding.ASCII.GetString(received), StringComparison.Ordinal);
            }

            // Once the silent ones are timed out a real TLS client gets a slot.
            foreach (var socket in silent)
            {
                await TlsSessions.ReadUntilClosedAsync(socket.GetStream(), Generous);
            }

            var id = await SmtpSending.SendOneAsync(app.SmtpsPort, SmtpSending.NewMessage("after the silent ones"), SecureSocketOptions.SslOnConnect);
            await app.GetMessageAsync(id);
        }
        finally
        {
            silent.ForEach(s => s.Dispose());
        }
    }
}
