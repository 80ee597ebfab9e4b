using System.Diagnostics;
using DotNet.Testcontainers.Configurations;
using MailKit.Net.Smtp;
using MailKit.Security;
using MailSink.EndToEnd.Docker;
using MimeKit;
using Testcontainers.MailSink;
using Xunit.Abstractions;

namespace MailSink.EndToEnd.Testcontainers;

/// <summary>
/// The Testcontainers module against a real engine and the image built from this repository's Dockerfile: start,
/// wait on /readyz, send with MailKit to GetSmtpPort(), wait with GetClient().
/// </summary>
/// <remarks>
/// This machine's engine has no bridge network (tests/docker/start-dockerd.sh), so there are no port mappings and the
/// container runs with <see cref="MailSinkBuilder.WithHostNetwork"/>; Ryuk (the reaper container) is off because its
/// image cannot be pulled here, so the test removes its container itself, passed or failed.
/// </remarks>
[Collection(DockerCollection.Name)]
public sealed class MailSinkContainerTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string ImageTag = "mailsink-testcontainers:test";

    private MailSinkContainer? _container;

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>
    /// Testcontainers reads its settings from the environment once, on first use, so they are set before any of its
    /// types is touched (no other test in this assembly uses Testcontainers, and this collection runs alone).
    /// </summary>
    private async Task ConfigureTestcontainersForThisEngineAsync()
    {
        // Ryuk is a container whose image would be pulled: no registry here.
        Environment.SetEnvironmentVariable("TESTCONTAINERS_RYUK_DISABLED", "true");

        // Docker.DotNet asks for API 1.44 and Debian's engine 20.10 answers at most 1.41 ("client version 1.44 is too
        // new. Maximum supported API version is 1.41"): speak the engine's own version unless one is configured.
        if (Environment.GetEnvironmentVariable("DOCKER_API_VERSION") is not { Length: > 0 })
        {
            var version = await ProcessRunner.RunAsync("docker", ["version", "--format", "{{.Server.APIVersion}}"], TimeSpan.FromSeconds(30));
            Assert.True(version.Succeeded, version.Describe());
            Environment.SetEnvironmentVariable("DOCKER_API_VERSION", version.StdOut.Trim());
            output.WriteLine($"DOCKER_API_VERSION={version.StdOut.Trim()} (the engine's)");
        }

        Assert.False(TestcontainersSettings.ResourceReaperEnabled, "Testcontainers read its settings before the test set them");
    }

    public async Task DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }

    [DockerFact]
    public async Task A_started_container_is_ready_receives_mail_on_its_SMTP_port_and_its_client_waits_for_it()
    {
        Assert.True(DockerEnvironment.UnavailableReason is null,
            $"CI=true but {DockerEnvironment.UnavailableReason}. .ci/run must run tests/docker/ci-prepare.sh before the tests.");
        await RepositoryImage.BuildAsync(ImageTag, output);

        await ConfigureTestcontainersForThisEngineAsync();
        _container = new MailSinkBuilder(ImageTag).WithHostNetwork().Build();

        var clock = Stopwatch.StartNew();
        await _container.StartAsync();
        output.WriteLine($"started and /readyz 200 in {clock.Elapsed.TotalSeconds:F1}s: smtp {_container.GetSmtpHost()}:{_container.GetSmtpPort()}, api {_container.GetApiAddress()}");

        // The wait strategy held StartAsync until /readyz answered, so SMTP must take mail at once, no retry.
        Assert.Equal($"smtp://127.0.0.1:{_container.GetSmtpPort()}", _container.GetConnectionString());
        var subject = "sign-up " + Guid.NewGuid().ToString("N")[..8];
        var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = "Welcome, Ann." } };
        message.From.Add(MailboxAddress.Parse("app@example.com"));
        message.To.Add(MailboxAddress.Parse("ann@example.com"));
        using (var smtp = new SmtpClient { Timeout = 15_000 })
        {
            await smtp.ConnectAsync(_container.GetSmtpHost(), _container.GetSmtpPort(), SecureSocketOptions.None);
            await smtp.SendAsync(message);
            await smtp.DisconnectAsync(true);
        }

        using var client = _container.GetClient();
        var received = await client.WaitForMessageAsync("to:ann@example.com", TimeSpan.FromSeconds(15));
        Assert.Equal(subject, received.Subject);
        Assert.Equal(_container.GetApiAddress(), client.BaseAddress);
    }
}
