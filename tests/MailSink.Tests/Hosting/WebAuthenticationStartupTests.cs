using System.Net.Http.Headers;
using MailSink.Tests.Api;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Hosting;

/// <summary>
/// Web authentication at start-up, on the real process: a bad users file or token stops MailSink with one line
/// naming the option (exit 2), and binding beyond loopback without authentication is warned about.
/// </summary>
public sealed class WebAuthenticationStartupTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mailsink-webauth-" + Guid.NewGuid().ToString("N"));

    public WebAuthenticationStartupTests() => Directory.CreateDirectory(_folder);

    private string Storage => Path.Combine(_folder, "mailsink.db");

    public void Dispose() => MailSinkApp.DeleteFolder(_folder);

    [Fact]
    public async Task A_missing_users_file_is_named_with_its_option_and_path()
    {
        var missing = Path.Combine(_folder, "no-such-users.htpasswd");

        var (code, stdout, stderr) = await MailSinkProcess.RunToExitAsync(Storage, $"--Web:HtpasswdFile={missing}");

        Assert.Equal(2, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"mailsink: Web:HtpasswdFile: file '{missing}' does not exist", line.Trim());
        Assert.DoesNotContain("   at ", stdout + stderr);
    }

    [Theory]
    [InlineData("old:$apr1$3wOKIzVt$77z/buSvwXn2Ft69VEYhj/", "line 1 (user 'old') uses a $apr1$ hash, which MailSink does not read; use bcrypt (htpasswd -B)")]
    [InlineData("# only a comment\n\n", "it lists no users")]
    [InlineData("dev:s3cret\nno-colon-here", "line 2 is not 'user:password'")]
    [InlineData("dev:a\ndev:b", "line 2 repeats user 'dev'")]
    [InlineData("dev:$2y$05$tooshort", "line 1 (user 'dev') has a malformed bcrypt hash")]
    public async Task A_users_file_MailSink_cannot_use_is_refused_naming_the_line(string content, string expected)
    {
        var users = Path.Combine(_folder, "users.htpasswd");
        await File.WriteAllTextAsync(users, content);

        var (code, _, stderr) = await MailSinkProcess.RunToExitAsync(Storage, $"--Web:HtpasswdFile={users}");

        Assert.Equal(2, code);
        Assert.Contains($"mailsink: Web:HtpasswdFile: '{users}': {expected}", stderr);
    }

    [Fact]
    public async Task A_short_api_token_is_refused()
    {
        var (code, _, stderr) = await MailSinkProcess.RunToExitAsync(Storage, "--Web:ApiToken=short");

        Assert.Equal(2, code);
        Assert.Contains("mailsink: Web:ApiToken must be at least 16 characters without spaces, got 5 characters", stderr);
    }

    [Theory]
    [InlineData("0.0.0.0", false, true)]
    [InlineData("0.0.0.0", true, false)]
    [InlineData("127.0.0.1", false, false)]
    public async Task Bound_beyond_loopback_without_authentication_MailSink_warns(string bind, bool withToken, bool warns)
    {
        var token = WebAuthenticationTests.Token;
        string[] arguments = withToken ? ["--bind", bind, $"--Web:ApiToken={token}"] : ["--bind", bind];
        await using var sink = await MailSinkProcess.StartAsync(Storage, withToken ? new AuthenticationHeaderValue("Bearer", token) : null, arguments);

        // The warning comes just before the start-up banner, and the console keeps that order.
        var output = await sink.WaitForOutputAsync("is ready. Press Ctrl+C to stop.");

        Assert.Equal(warns, output.Contains("without authentication: anyone who can reach these ports can read and delete every message", StringComparison.Ordinal));
    }
}
