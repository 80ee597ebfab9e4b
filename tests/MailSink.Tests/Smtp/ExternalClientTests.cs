using MailSink.Tests.TestHost;

namespace MailSink.Tests.Smtp;

/// <summary>Clients people actually use, run as separate processes against the fixture's ports.</summary>
public sealed class ExternalClientTests(MailSinkApp app) : IClassFixture<MailSinkApp>
{
    [ToolFact("swaks")]
    public async Task Swaks_delivers_over_starttls_with_auth_login()
    {
        var swaks = await ExternalTool.RequireSwaksWithAsync("TLS", "Basic AUTH");
        var subject = $"swaks {Guid.NewGuid():N}";
        var (exitCode, output) = await ExternalTool.RunAsync(swaks,
        [
            "--server", "127.0.0.1", "--port", app.SubmissionPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--ehlo", "swaks.client.test",
            "--from", "swaks@example.test", "--to", "target@example.test",
            "--tls", "--auth", "LOGIN", "--auth-user", "swaks-user", "--auth-password", "swaks-pass",
            "--header", $"Subject: {subject}", "--body", "Sent by swaks.",
            "--timeout", "30",
        ]);

        Assert.True(exitCode == 0, $"swaks exited {exitCode}:\n{output}");
        var id = SmtpSending.QueuedId(output);
        var message = await app.GetMessageAsync(id);
        Assert.Equal(subject, message["Subject"]!.GetValue<string>());
        Assert.Equal("swaks-user", message["Username"]!.GetValue<string>());
        Assert.Equal("swaks@example.test", message["Envelope"]!["MailFrom"]!.GetValue<string>());
        Assert.Equal("swaks.client.test", message["Envelope"]!["Helo"]!.GetValue<string>());
        Assert.NotNull(message["Envelope"]!["Tls"]);
        Assert.Contains("Sent by swaks.", message["Text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [ToolFact("python3")]
    public async Task Python_smtplib_delivers_over_starttls_with_login()
    {
        var python = ExternalTool.Require("python3");
        var subject = $"python {Guid.NewGuid():N}";
        const string script = """
            import smtplib, ssl, sys
            port, subject = int(sys.argv[1]), sys.argv[2]
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE  # MailSink's self-signed certificate, trusted on purpose
            s = smtplib.SMTP("127.0.0.1", port, local_hostname="py.client.test", timeout=30)
            s.starttls(context=context)
            s.ehlo("py.client.test")
            s.login("py-user", "py-pass")
            s.mail("py@example.test")
            s.rcpt("target@example.test")
            code, reply = s.data(("Subject: %s\r\nFrom: py@example.test\r\nTo: target@example.test\r\n\r\nSent by smtplib.\r\n" % subject).encode())
            print(code, reply.decode())
            s.quit()
            """;
        var (exitCode, output) = await ExternalTool.RunAsync(python,
            ["-c", script, app.SubmissionPort.ToString(System.Globalization.CultureInfo.InvariantCulture), subject]);

        Assert.True(exitCode == 0, $"python3 exited {exitCode}:\n{output}");
        Assert.StartsWith("250 ", output, StringComparison.Ordinal);
        var id = SmtpSending.QueuedId(output);
        var message = await app.GetMessageAsync(id);
        Assert.Equal(subject, message["Subject"]!.GetValue<string>());
        Assert.Equal("py-user", message["Username"]!.GetValue<string>());
        Assert.Equal(["target@example.test"], message["Envelope"]!["RcptTo"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.NotNull(message["Envelope"]!["Tls"]);
    }
}
