using MailSink.Cli;
using MailSink.Hosting;
using MailSink.Options;

namespace MailSink.Tests.Cli;

public sealed class HelpAndHealthCheckTests
{
    [Fact]
    public void Help_lists_every_switch_and_every_option_with_its_environment_variable()
    {
        using var output = new StringWriter();
        Assert.Equal(0, HelpCommand.Run(output));
        var help = output.ToString();

        foreach (var (name, key) in OptionsServiceCollectionExtensions.Switches)
        {
            Assert.Contains($"{name}, --{key}", help, StringComparison.Ordinal);
        }

        foreach (var option in OptionsCatalog.All())
        {
            Assert.Contains(option.EnvironmentVariable, help, StringComparison.Ordinal);
        }

        // The variable is spelled as the key is, as the README and the Dockerfile write it.
        Assert.Contains("--smtp-port, --Smtp:Smtp:Port  (default: 1025)  env MAILSINK_Smtp__Smtp__Port", help, StringComparison.Ordinal);
        Assert.Contains("--http-port, --Web:HttpPort  (default: 8025)  env MAILSINK_Web__HttpPort", help, StringComparison.Ordinal);

        // A list is set item by item: a value on the key itself would be ignored by the binder.
        Assert.Contains("--Web:AllowedOrigins:0  (default: (none))  env MAILSINK_Web__AllowedOrigins__0", help, StringComparison.Ordinal);

        // Descriptions come from the XML docs shipped beside the assembly, and every option has one.
        Assert.Contains("Largest message accepted, in bytes", help, StringComparison.Ordinal);
        Assert.All(OptionsCatalog.All(), o => Assert.True(o.Description.Length > 0, $"{o.Key} has no description: give it an XML <summary>"));
    }

    [Fact]
    public async Task Healthcheck_is_0_for_a_ready_server_and_1_when_nothing_answers()
    {
        await using var sink = await MailSinkServer.StartAsync(new MailSinkServerOptions { EnableTlsListeners = false });
        using var output = new StringWriter();

        Assert.Equal(0, await HealthCheckCommand.RunAsync(["--url", sink.BaseAddress.ToString()], output, CancellationToken.None));
        Assert.StartsWith("healthy:", output.ToString());

        var port = sink.BaseAddress.Port;
        await sink.DisposeAsync();
        using var down = new StringWriter();
        Assert.Equal(1, await HealthCheckCommand.RunAsync([$"--url=http://127.0.0.1:{port}"], down, CancellationToken.None));
        Assert.StartsWith("unhealthy:", down.ToString());
        Assert.Single(down.ToString().Trim().Split('\n'));
    }
}
