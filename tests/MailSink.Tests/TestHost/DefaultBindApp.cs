namespace MailSink.Tests.TestHost;

/// <summary>
/// MailSink bound the way it is by default (127.0.0.1 and ::1), so clients given "localhost" connect
/// whichever address their resolver tries first, exactly as on a developer's machine.
/// </summary>
public sealed class DefaultBindApp() : MailSinkApp(
    dataDirectory: null,
    memory: true,
    settings: new Dictionary<string, string?> { ["Server:Bind"] = "127.0.0.1,::1" });
