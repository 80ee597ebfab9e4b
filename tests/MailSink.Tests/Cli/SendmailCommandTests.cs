using System.Text;
using MailSink.Cli;
using MailSink.Hosting;

namespace MailSink.Tests.Cli;

/// <summary>sendmail mode in-process: a message on "stdin" submitted over real SMTP to an in-process MailSink.</summary>
public sealed class SendmailCommandTests : IAsyncLifetime
{
    private MailSinkServer _sink = null!;

    public async Task InitializeAsync() => _sink = await MailSinkServer.StartAsync(new MailSinkServerOptions { EnableTlsListeners = false });

    public async Task DisposeAsync() => await _sink.DisposeAsync();

    [Fact]
    public async Task Minus_t_takes_recipients_from_the_headers_and_drops_Bcc()
    {
        const string input = "From: Cron Daemon <cron@host.example>\nTo: ann@example.com\nCc: bob@example.com\nBcc: secret@example.com\nSubject: nightly report\n\nAll good.\n";
        var (exit, error) = await RunAsync(input, "-t", "-i");

        Assert.Equal(SendmailExitCodes.Ok, exit);
        Assert.Equal("", error);
        var message = await _sink.Client.WaitForMessageAsync("subject:\"nightly report\"", TimeSpan.FromSeconds(10));
        Assert.Equal(["ann@example.com", "bob@example.com", "secret@example.com"], message.Envelope.RcptTo.Order());
        Assert.Equal("cron@host.example", message.Envelope.MailFrom);
        var raw = Encoding.UTF8.GetString(await _sink.Client.GetRawAsync(message.Id));
        Assert.DoesNotContain("\nBcc:", raw, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(message.Bcc, b => b.Email == "secret@example.com"); // known from the envelope only
        Assert.Contains("Message-ID:", raw, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("All good.", message.Text);
    }

    [Fact]
    public async Task Recipients_as_arguments_with_f_and_a_lone_dot_ending_the_input()
    {
        const string input = "Subject: dotted\n\nfirst line\n.\nnot part of the message\n";
        var (exit, _) = await RunAsync(input, "-f", "app@example.com", "-F", "The App", "carol@example.com");

        Assert.Equal(SendmailExitCodes.Ok, exit);
        var message = await _sink.Client.WaitForMessageAsync("subject:dotted", TimeSpan.FromSeconds(10));
        Assert.Equal(["carol@example.com"], message.Envelope.RcptTo);
        Assert.Equal("app@example.com", message.Envelope.MailFrom);
        Assert.Equal("The App", message.From?.Name);
        Assert.Contains("first line", message.Text);
        Assert.DoesNotContain("not part", message.Text);
    }

    [Fact]
    public async Task Minus_i_keeps_a_lone_dot_line()
    {
        var (exit, _) = await RunAsync("Subject: keeps dots\n\nbefore\n.\nafter\n", "-oi", "dave@example.com");

        Assert.Equal(SendmailExitCodes.Ok, exit);
        var message = await _sink.Client.WaitForMessageAsync("subject:\"keeps dots\"", TimeSpan.FromSeconds(10));
        Assert.Contains("after", message.Text);
    }

    [Fact]
    public async Task No_recipients_is_a_usage_error()
    {
        var (exit, error) = await RunAsync("Subject: nobody\n\nx\n");

        Assert.Equal(SendmailExitCodes.Usage, exit);
        Assert.StartsWith("mailsink sendmail: no recipients", error);
    }

    [Fact]
    public async Task Nothing_listening_is_unavailable()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var (exit, error) = await RunAsync("Subject: lost\n\nx\n", port, "erin@example.com");

        Assert.Equal(SendmailExitCodes.Unavailable, exit);
        Assert.Contains($"127.0.0.1:{port}", error);
    }

    [Theory]
    [InlineData("-bp")]
    [InlineData("--frobnicate")]
    [InlineData("-f")]
    [InlineData("-S")]
    [InlineData("--auth-user")]
    [InlineData("--starttls --tls")]
    [InlineData("--auth-password secret")]
    [InlineData("-bs --starttls")]
    [InlineData("-bs --auth-user ann --auth-password x")]
    public void Unsupported_incomplete_or_conflicting_options_are_refused(string options)
    {
        Assert.Null(SendmailArguments.Parse(options.Split(' '), out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void Mailpit_and_TLS_options_are_understood()
    {
        var parsed = SendmailArguments.Parse(["-S", "mailsink:1025", "--starttls", "--auth-user=ann", "--auth-password", "pw", "ann@example.com"], out var error);

        Assert.Null(error);
        Assert.NotNull(parsed);
        Assert.Equal("mailsink:1025", parsed.Server);
        Assert.True(parsed.StartTls);
        Assert.Equal(("ann", "pw"), (parsed.AuthUser, parsed.AuthPassword));
        Assert.Equal(["ann@example.com"], parsed.Recipients);
        Assert.True(SendmailArguments.Parse(["-bs", "-Smailsink:1025", "--tls"], out _)!.SmtpOnStdio);
    }

    [Fact]
    public void Options_cron_and_php_pass_are_accepted()
    {
        var parsed = SendmailArguments.Parse(["-FCronDaemon", "-i", "-B8BITMIME", "-oem", "-odi", "-t", "-froot", "--", "root"], out var error);

        Assert.Null(error);
        Assert.NotNull(parsed);
        Assert.True(parsed.RecipientsFromHeaders);
        Assert.True(parsed.IgnoreDots);
        Assert.Equal("root", parsed.Sender);
        Assert.Equal("CronDaemon", parsed.FullName);
        Assert.Equal(["root"], parsed.Recipients);
    }

    private Task<(int Exit, string Error)> RunAsync(string input, params string[] args) => RunAsync(input, _sink.SmtpPort, args);

    private static async Task<(int Exit, string Error)> RunAsync(string input, int port, params string[] args)
    {
        using var stdin = new MemoryStream(Encoding.UTF8.GetBytes(input));
        using var stderr = new StringWriter();
        var exit = await SendmailCommand.RunAsync([.. args, "--server", $"127.0.0.1:{port}"], stdin, Stream.Null, stderr, CancellationToken.None);
        return (exit, stderr.ToString().Trim());
    }
}
