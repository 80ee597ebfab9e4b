using System.Diagnostics;
using System.Text;
using MailSink.Hosting;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Cli;

/// <summary>
/// `mailsink sendmail` as the real process (dotnet MailSink.dll, or a symlink named sendmail) submitting to an
/// in-process MailSink with all three listeners: Mailpit's -S, MAILSINK_SENDMAIL_SERVER, -bs spoken over the
/// process's stdin and stdout, STARTTLS and AUTH on submission, implicit TLS on smtps.
/// </summary>
public sealed class SendmailProcessTests : IAsyncLifetime
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "mailsink-sendmail-" + Guid.NewGuid().ToString("N"));
    private MailSinkServer _sink = null!;

    public async Task InitializeAsync() => _sink = await MailSinkServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _sink.DisposeAsync();
        if (Directory.Exists(_work))
        {
            Directory.Delete(_work, recursive: true);
        }
    }

    [Fact]
    public async Task Minus_S_host_port_as_Mailpit_spells_it_submits_there()
    {
        var (exit, _, stderr) = await MailSinkCommand.RunAsync(["sendmail", "-t", "-S", $"127.0.0.1:{_sink.SmtpPort}"], Mail("mailpit style"));

        Assert.True(exit == 0, stderr);
        var message = await _sink.Client.WaitForMessageAsync("subject:\"mailpit style\"", TimeSpan.FromSeconds(10));
        Assert.Equal(["ann@example.com"], message.Envelope.RcptTo);
    }

    [Fact]
    public async Task MAILSINK_SENDMAIL_SERVER_is_used_when_no_server_is_given()
    {
        var environment = new Dictionary<string, string> { ["MAILSINK_SENDMAIL_SERVER"] = $"127.0.0.1:{_sink.SmtpPort}" };

        var (exit, _, stderr) = await MailSinkCommand.RunAsync(["sendmail", "-t"], Mail("from the variable"), environment);

        Assert.True(exit == 0, stderr);
        await _sink.Client.WaitForMessageAsync("subject:\"from the variable\"", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_symlink_named_sendmail_runs_mailsink_sendmail()
    {
        Directory.CreateDirectory(_work);
        var sendmail = Path.Combine(_work, "sendmail");
        File.CreateSymbolicLink(sendmail, MailSinkCommand.AppHost);

        // Without the name check these arguments would start the server, which refuses "-t".
        var (exit, _, stderr) = await MailSinkCommand.RunAsync(["-t", "-i", "-S", $"127.0.0.1:{_sink.SmtpPort}"], Mail("through the symlink"), executable: sendmail);

        Assert.True(exit == 0, stderr);
        await _sink.Client.WaitForMessageAsync("subject:\"through the symlink\"", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Starttls_and_auth_on_the_submission_listener_land_with_the_user_and_TLS_recorded()
    {
        string[] args = ["sendmail", "-t", "--starttls", "--auth-user", "alice", "--auth-password", "secret", "-S", $"127.0.0.1:{_sink.SubmissionPort}"];

        var (exit, _, stderr) = await MailSinkCommand.RunAsync(args, Mail("starttls and auth"));

        Assert.True(exit == 0, stderr);
        var message = await _sink.Client.WaitForMessageAsync("subject:\"starttls and auth\"", TimeSpan.FromSeconds(10));
        Assert.Equal("submission", message.Envelope.Listener);
        Assert.NotNull(message.Envelope.Tls);
        Assert.Equal("alice", message.Envelope.AuthUser);
    }

    [Fact]
    public async Task Auth_without_starttls_on_submission_fails_saying_to_add_starttls()
    {
        string[] args = ["sendmail", "-t", "--auth-user", "alice", "--auth-password", "secret", "-S", $"127.0.0.1:{_sink.SubmissionPort}"];

        var (exit, _, stderr) = await MailSinkCommand.RunAsync(args, Mail("never sent"));

        Assert.Equal(69, exit);
        Assert.StartsWith("mailsink sendmail: ", stderr);
        Assert.Contains("add --starttls", stderr);
    }

    [Fact]
    public async Task Implicit_tls_reaches_the_smtps_listener()
    {
        var (exit, _, stderr) = await MailSinkCommand.RunAsync(["sendmail", "-t", "--tls", "-S", $"127.0.0.1:{_sink.SmtpsPort}"], Mail("implicit tls"));

        Assert.True(exit == 0, stderr);
        var message = await _sink.Client.WaitForMessageAsync("subject:\"implicit tls\"", TimeSpan.FromSeconds(10));
        Assert.Equal("smtps", message.Envelope.Listener);
        Assert.NotNull(message.Envelope.Tls);
    }

    [Fact]
    public async Task Minus_bs_answers_an_SMTP_dialogue_on_stdin_with_MailSinks_replies_on_stdout()
    {
        using var process = Process.Start(MailSinkCommand.StartInfo(["sendmail", "-bs", "-S", $"127.0.0.1:{_sink.SmtpPort}"]))!;
        var stderr = process.StandardError.ReadToEndAsync();
        var replies = process.StandardOutput;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            Assert.StartsWith("220 ", await ReplyAsync(replies, limit.Token));
            Assert.StartsWith("250 ", await SendAsync(process, replies, "EHLO php.example", limit.Token));
            Assert.StartsWith("250 ", await SendAsync(process, replies, "MAIL FROM:<app@example.com>", limit.Token));
            Assert.StartsWith("250 ", await SendAsync(process, replies, "RCPT TO:<ann@example.com>", limit.Token));
            Assert.StartsWith("354 ", await SendAsync(process, replies, "DATA", limit.Token));
            var queued = await SendAsync(process, replies, "Subject: over stdio\r\n\r\nhello from -bs\r\n.", limit.Token);
            Assert.StartsWith("250 ", queued);
            Assert.StartsWith("221 ", await SendAsync(process, replies, "QUIT", limit.Token));

            await process.WaitForExitAsync(limit.Token);
            Assert.True(process.ExitCode == 0, await stderr);

            var message = await _sink.Client.WaitForMessageAsync("subject:\"over stdio\"", TimeSpan.FromSeconds(10));
            Assert.Equal("app@example.com", message.Envelope.MailFrom);
            Assert.EndsWith(message.Id, queued); // "queued as <ID>" is MailSink's own reply, passed through
            Assert.Contains("hello from -bs", message.Text);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task Minus_bs_takes_lines_ending_in_LF_alone_as_typed_in_a_terminal()
    {
        var (exit, stdout, stderr) = await MailSinkCommand.RunAsync(["sendmail", "-bs", "-S", $"127.0.0.1:{_sink.SmtpPort}"], "EHLO terminal\nNOOP\nQUIT\n");

        Assert.True(exit == 0, stderr);
        var lines = stdout.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("220 ", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("250 ", StringComparison.Ordinal) && l.Contains("2.0.0", StringComparison.Ordinal)); // NOOP
        Assert.StartsWith("221 ", lines[^1]);
    }

    private static async Task<string> SendAsync(Process process, StreamReader replies, string command, CancellationToken cancellationToken)
    {
        await process.StandardInput.BaseStream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"), cancellationToken);
        await process.StandardInput.BaseStream.FlushAsync(cancellationToken);
        return await ReplyAsync(replies, cancellationToken);
    }

    /// <summary>The last line of a reply (a multi-line reply's lines but the last have a dash after the code).</summary>
    private static async Task<string> ReplyAsync(StreamReader replies, CancellationToken cancellationToken)
    {
        while (true)
        {
            var line = await replies.ReadLineAsync(cancellationToken) ?? throw new EndOfStreamException("sendmail -bs closed stdout mid-reply");
            if (line.Length < 4 || line[3] != '-')
            {
                return line;
            }
        }
    }

    private static string Mail(string subject) => $"From: app@example.com\nTo: ann@example.com\nSubject: {subject}\n\nbody of {subject}\n";
}
