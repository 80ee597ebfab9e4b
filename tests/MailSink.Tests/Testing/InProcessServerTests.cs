using System.Collections.Concurrent;
using MailSink.Hosting;
using MailSink.Tests.Api;
using Microsoft.Extensions.Logging;

namespace MailSink.Tests.Testing;

/// <summary>
/// MailSink.Testing as a consumer's test project sees it: no Program type to clash with the app's own
/// (CS0433 with WebApplicationFactory&lt;Program&gt;), and no host chatter ("Now listening on", the WebRootPath
/// warning) even when the logs are opened up to Information. TestingPackageTests does the same from a package.
/// </summary>
public sealed class InProcessServerTests
{
    [Fact]
    public void The_testing_and_core_assemblies_bring_no_Program_type_and_do_not_reference_the_tool()
    {
        foreach (var assembly in new[] { typeof(MailSinkServer).Assembly, typeof(MailSinkHostingExtensions).Assembly })
        {
            Assert.DoesNotContain(assembly.GetTypes(), t => t.Name == "Program");
            Assert.DoesNotContain(assembly.GetReferencedAssemblies(), a => a.Name == "MailSink");
        }

        Assert.Equal("MailSink.Testing", typeof(MailSinkServer).Assembly.GetName().Name);
        // MailKit is Core's only for release (Relay/); the .NET client stays a package of its own.
        Assert.DoesNotContain(typeof(MailSinkHostingExtensions).Assembly.GetReferencedAssemblies(), a => a.Name is "MailSink.Client");
        Assert.All(
            typeof(MailSinkHostingExtensions).Assembly.GetTypes().Where(t => t.BaseType?.Assembly.GetName().Name == "MailKit"),
            t => Assert.StartsWith("MailSink.Relay.", t.FullName, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_server_logging_at_Information_says_nothing_about_listening_addresses_or_a_missing_web_root()
    {
        var logs = new CapturingLoggerProvider();
        await using (var sink = await MailSinkServer.StartAsync(new MailSinkServerOptions
        {
            EnableTlsListeners = false,
            MinimumLogLevel = LogLevel.Information,
            LoggerProvider = logs,
        }))
        {
            await TestMail.SendAsync(sink.SmtpPort, "in-process logging");
            await sink.Client.WaitForMessageAsync("subject:\"in-process logging\"", TimeSpan.FromSeconds(10));

            // "/" is where the tool serves the web inbox; the in-process server has none, so no static files look for wwwroot.
            using var http = new HttpClient { BaseAddress = sink.BaseAddress };
            using var root = await http.GetAsync("/");
            Assert.Equal(System.Net.HttpStatusCode.NotFound, root.StatusCode);
        }

        // The provider was used (MailSink's own Information lines reach it), and none of them is host chatter.
        Assert.Contains(logs.Lines, l => l.StartsWith("MailSink.", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains("Now listening", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(logs.Lines, l => l.Contains("WebRootPath", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(logs.Lines, l => l.StartsWith("Microsoft.Hosting.Lifetime", StringComparison.Ordinal));
        Assert.False(logs.Disposed, "the caller's provider is the caller's to dispose");
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyCollection<string> Lines => _lines;

        public bool Disposed { get; private set; }

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

        public void Dispose() => Disposed = true;

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{category} {logLevel}: {formatter(state, exception)}");
        }
    }
}
