using System.Net;
using System.Net.Http.Json;
using MailSink.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace SignupApp.Tests;

/// <summary>
/// The sign-up flow against a real SMTP server: MailSink in-process on a free port, the app pointed at it through
/// configuration, the mail read back with the MailSinkClient.
/// </summary>
public sealed class SignupTests : IAsyncLifetime
{
    private MailSinkServer _mailSink = null!;
    private WebApplicationFactory<Program> _app = null!;

    public async Task InitializeAsync()
    {
        _mailSink = await MailSinkServer.StartAsync(new MailSinkServerOptions { EnableTlsListeners = false });
        _app = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web.ConfigureAppConfiguration((_, configuration) =>
            configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Smtp:Host"] = _mailSink.SmtpHost,
                ["Smtp:Port"] = _mailSink.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            })));
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _mailSink.DisposeAsync();
    }

    [Fact]
    public async Task Signing_up_sends_a_welcome_mail_with_a_confirmation_link_to_the_new_address()
    {
        using var http = _app.CreateClient();

        var response = await http.PostAsJsonAsync("/signup", new { email = "ann@example.com" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var mail = await _mailSink.Client.WaitForMessageAsync("to:ann@example.com", TimeSpan.FromSeconds(10));
        Assert.Equal("Confirm your sign-up", mail.Subject);
        Assert.Equal("welcome@signup.example", mail.From?.Email);
        Assert.StartsWith("http://localhost/confirm/", mail.FindLink("/confirm/"));
    }

    [Fact]
    public async Task A_sign_up_with_an_invalid_address_is_refused_and_sends_nothing()
    {
        using var http = _app.CreateClient();

        var response = await http.PostAsJsonAsync("/signup", new { email = "not-an-address" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var inbox = await _mailSink.Client.ListAsync();
        Assert.Equal(0, inbox.Total);
    }
}
