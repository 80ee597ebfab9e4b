using MailSink.Tests.TestHost;

namespace MailSink.Tests.Storage.Postgres;

/// <summary>
/// --storage with a PostgreSQL URI, through the real command: a malformed URI, a server nobody runs and a wrong
/// password each end the start in one line naming Storage:Path (--storage) with the exit code for bad options (2),
/// and never print the password.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStartupTests(PostgresServer server) : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "mailsink-tests", Guid.NewGuid().ToString("N"));

    public void Dispose() => MailSinkApp.DeleteFolder(_dataDir);

    [Theory]
    [InlineData("postgresql://mailsink:s3cret-pw@/inbox", "expected postgresql://user:password@host:port/database")]
    [InlineData("postgres://mailsink:s3cret-pw@db.example:5432/", "the database name is missing")]
    [InlineData("postgresql://mailsink:s3cret-pw@db.example/inbox?sslmode=sometimes", "sslmode must be")]
    [InlineData("postgresql://mailsink:s3cret-pw@db.example/inbox?search_path=x", "'search_path' is not supported")]
    public async Task A_malformed_uri_fails_in_one_line_naming_the_option(string uri, string reason)
    {
        var (exit, stdout, stderr) = await StartAsync(uri);

        Assert.Equal(2, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Storage:Path (--storage) is not a valid PostgreSQL URI", line);
        Assert.Contains(reason, line);
        Assert.DoesNotContain("s3cret-pw", stderr + stdout);
    }

    [Fact]
    public async Task A_server_nobody_runs_fails_in_one_line_naming_the_option_and_the_host()
    {
        var port = MailSinkCommand.FreePort();

        var (exit, stdout, stderr) = await StartAsync($"postgresql://mailsink:s3cret-pw@127.0.0.1:{port}/inbox");

        Assert.Equal(2, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"mailsink: Storage:Path (--storage): cannot use PostgreSQL at 127.0.0.1:{port}/inbox", line);
        Assert.DoesNotContain("s3cret-pw", stderr + stdout);
        Assert.DoesNotContain("   at ", stderr + stdout);
    }

    [PostgresFact]
    public async Task A_wrong_password_fails_in_one_line_naming_the_option_and_the_host()
    {
        var uri = await server.CreateDatabaseAsync("pw");
        var database = new Uri(uri).AbsolutePath.TrimStart('/');

        var (exit, stdout, stderr) = await StartAsync(server.Uri(database, password: "s3cret-pw"));

        Assert.Equal(2, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"mailsink: Storage:Path (--storage): cannot use PostgreSQL at 127.0.0.1:{server.Port}/{database}", line);
        Assert.Contains("28P01", line);
        Assert.DoesNotContain("s3cret-pw", stderr + stdout);
        Assert.DoesNotContain("   at ", stderr + stdout);
    }

    private Task<(int Exit, string StdOut, string StdErr)> StartAsync(string uri) =>
        MailSinkCommand.RunAsync(
            ["--storage", uri, "--data-dir", _dataDir, "--bind", "127.0.0.1", "--http-port", "0", "--smtp-port", "0", "--submission-port", "0", "--smtps-port", "0"],
            timeout: TimeSpan.FromSeconds(60));
}
