using MailSink.Client;
using MailSink.Smtp;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MailSink.Hosting;

/// <summary>
/// MailSink running inside the current process, for .NET test suites: SMTP on free ports, the HTTP API,
/// and a ready <see cref="MailSinkClient"/>. Instances share nothing (no static state), so tests can start
/// one per class, or per test, in parallel.
/// </summary>
/// <example>
/// <code>
/// await using var sink = await MailSinkServer.StartAsync();
/// // point the application's SMTP settings at 127.0.0.1:sink.SmtpPort, then:
/// var mail = await sink.Client.WaitForMessageAsync("to:ann@example.com", TimeSpan.FromSeconds(10));
/// </code>
/// </example>
public sealed class MailSinkServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string? _temporaryDirectory;
    private int _disposed;

    private MailSinkServer(WebApplication app, string? temporaryDirectory, Uri baseAddress)
    {
        _app = app;
        _temporaryDirectory = temporaryDirectory;
        BaseAddress = baseAddress;
        var endpoints = app.Services.GetRequiredService<SmtpEndpoints>();
        SmtpPort = endpoints.PortOf(ListenerNames.Smtp) ?? 0;
        SubmissionPort = endpoints.PortOf(ListenerNames.Submission) ?? 0;
        SmtpsPort = endpoints.PortOf(ListenerNames.Smtps) ?? 0;
        Client = new MailSinkClient(baseAddress);
    }

    /// <summary>The bound plain SMTP port.</summary>
    public int SmtpPort { get; }

    /// <summary>The bound submission port, or 0 when the TLS listeners are off.</summary>
    public int SubmissionPort { get; }

    /// <summary>The bound implicit-TLS port, or 0 when the TLS listeners are off.</summary>
    public int SmtpsPort { get; }

    /// <summary>The SMTP host to give the application under test: the bind address.</summary>
    public string SmtpHost { get; private init; } = "127.0.0.1";

    /// <summary>The HTTP API's address, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A client for this server, disposed with it.</summary>
    public MailSinkClient Client { get; }

    /// <summary>The server's services (the store, options, ...), for tests that look inside.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a server; returns once SMTP and HTTP accept connections.</summary>
    public static async Task<MailSinkServer> StartAsync(MailSinkServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new MailSinkServerOptions();
        string? temporary = null;
        var dataDirectory = options.DataDirectory;
        if (string.IsNullOrEmpty(dataDirectory))
        {
            temporary = dataDirectory = Path.Combine(Path.GetTempPath(), "mailsink-" + Guid.NewGuid().ToString("N"));
        }

        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Smtp:Smtp:Port"] = Invariant(options.SmtpPort),
            ["Smtp:Submission:Port"] = Invariant(options.SubmissionPort),
            ["Smtp:Submission:Enabled"] = options.EnableTlsListeners ? "true" : "false",
            ["Smtp:Smtps:Port"] = Invariant(options.SmtpsPort),
            ["Smtp:Smtps:Enabled"] = options.EnableTlsListeners ? "true" : "false",
            ["Web:HttpPort"] = Invariant(options.HttpPort),
            ["Server:Bind"] = options.Bind,
            ["Server:Hostname"] = options.Hostname,
            ["Server:DataDirectory"] = dataDirectory,
            ["Storage:Path"] = options.Storage,
            ["Logging:LogLevel:Default"] = options.MinimumLogLevel.ToString(),

            // The host's "Now listening on" and content-root lines have no place in a test's output, whatever
            // the environment's Logging__LogLevel__* variables say.
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = LogLevel.Warning.ToString(),
        };
        foreach (var (key, value) in options.Settings)
        {
            settings[key] = value;
        }

        // Explicit settings win over MAILSINK_* variables a developer or CI machine may have set.
        var app = MailSinkHost.Build([], c => c.AddInMemoryCollection(settings), configureServices: services =>
        {
            services.AddSingleton<IHostLifetime, InProcessLifetime>();
            if (options.LoggerProvider is { } provider)
            {
                services.RemoveAll<ILoggerProvider>();
                services.AddSingleton<ILoggerProvider>(new BorrowedLoggerProvider(provider));
            }
        }, inProcess: true);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            return new MailSinkServer(app, temporary, HttpAddress(app)) { SmtpHost = ConnectableHost(options.Bind) };
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            DeleteQuietly(temporary);
            throw;
        }
    }

    /// <summary>Stops the listeners, releases the ports and deletes the temporary data folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Client.Dispose();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        DeleteQuietly(_temporaryDirectory);
    }

    private static Uri HttpAddress(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var first = addresses.FirstOrDefault() ?? throw new InvalidOperationException("MailSink started without an HTTP address.");

        // Kestrel reports the bound port when 0 was asked.
        return new Uri(first.EndsWith('/') ? first : first + "/");
    }

    /// <summary>The first bound address a client can connect to (a wildcard bind is reached through loopback).</summary>
    private static string ConnectableHost(string bind)
    {
        var first = MailSink.Options.BindAddresses.Parse(bind)[0];
        return first.Equals(System.Net.IPAddress.Any) || first.Equals(System.Net.IPAddress.IPv6Any) ? "127.0.0.1" : first.ToString();
    }

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void DeleteQuietly(string? directory)
    {
        if (directory is null)
        {
            return;
        }

        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover temp folder is harmless; failing a test run over it is not.
        }
    }

    /// <summary>The caller's provider, left undisposed when this server's logger factory is disposed: it is the caller's.</summary>
    private sealed class BorrowedLoggerProvider(ILoggerProvider inner) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => inner.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }

    /// <summary>No Ctrl+C or SIGTERM handling: the test run, not the console, decides when this server stops.</summary>
    private sealed class InProcessLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
