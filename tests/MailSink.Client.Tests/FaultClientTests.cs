using System.Net;
using MailKit.Net.Smtp;
using MailSink.Hosting;

namespace MailSink.Client.Tests;

/// <summary>AddFaultAsync against an in-process server: a test rehearses a bounce in one using statement.</summary>
public sealed class FaultClientTests : IAsyncLifetime
{
    private MailSinkServer _sink = null!;

    public async Task InitializeAsync() => _sink = await MailSinkServer.StartAsync(new MailSinkServerOptions { EnableTlsListeners = false });

    public async Task DisposeAsync() => await _sink.DisposeAsync();

    [Fact]
    public async Task AddFaultAsync_rejects_matching_recipients_until_the_handle_is_disposed()
    {
        await using (var bounce = await _sink.Client.AddFaultAsync(Fault.UserUnknown("*@bounce.example")))
        {
            var ex = await Assert.ThrowsAsync<SmtpCommandException>(() => Mail.SendAsync(_sink.SmtpPort, Mail.Welcome("ann@bounce.example")));
            Assert.Equal(SmtpStatusCode.MailboxUnavailable, ex.StatusCode);
            Assert.StartsWith("5.1.1 ", ex.Message, StringComparison.Ordinal);
            Assert.Equal(1, await bounce.GetFiredAsync());
            Assert.Equal("rcpt", bounce.Rule.Stage);
        }

        Assert.Empty(await _sink.Client.ListFaultsAsync());
        await Mail.SendAsync(_sink.SmtpPort, Mail.Welcome("ann@bounce.example"));
        await _sink.Client.WaitForMessageAsync("to:ann@bounce.example", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_fault_limited_by_Times_fires_that_often_and_the_session_names_it()
    {
        await using var full = await _sink.Client.AddFaultAsync(Fault.MailboxFull("*@full.example").Times(1));

        await Assert.ThrowsAsync<SmtpCommandException>(() => Mail.SendAsync(_sink.SmtpPort, Mail.Welcome("bo@full.example")));
        await Mail.SendAsync(_sink.SmtpPort, Mail.Welcome("bo@full.example"));

        var message = await _sink.Client.WaitForMessageAsync("to:bo@full.example", TimeSpan.FromSeconds(10));
        Assert.NotNull(message);
        Assert.Equal(1, await full.GetFiredAsync());
    }

    [Fact]
    public async Task A_fault_the_server_cannot_use_throws_MailSinkException_naming_the_field()
    {
        var ex = await Assert.ThrowsAsync<MailSinkException>(() => _sink.Client.AddFaultAsync(new Fault { Preset = "user-unknown", Probability = 200 }));
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Contains("Probability", ex.Title, StringComparison.Ordinal);
    }
}
