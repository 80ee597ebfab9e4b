using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MailSink.Smtp;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace MailSink.Tests.TestHost;

/// <summary>
/// MailSink in-process: HTTP through the test server, SMTP on real loopback sockets bound to port 0
/// (the listeners are hosted services, so they bind as soon as the host starts). Each instance gets
/// a fresh temp data folder with its own LiteDB file, deleted on dispose.
/// </summary>
public class MailSinkApp : IAsyncLifetime
{
    private readonly WebApplicationFactory<Program> _factory;
    private readonly bool _ownsDataDirectory;

    public MailSinkApp()
        : this(dataDirectory: null, memory: false, settings: null)
    {
    }

    /// <param name="services">Replaces services after the app registered its own (a fake clock for one feature).</param>
    protected MailSinkApp(Action<IServiceCollection> services, bool memory = true, IReadOnlyDictionary<string, string?>? settings = null)
        : this(dataDirectory: null, memory, settings, services)
    {
    }

    /// <param name="dataDirectory">An existing folder to reuse (restart tests); null creates a fresh one owned by this instance.</param>
    /// <param name="memory">Use Storage:Path=memory instead of a LiteDB file.</param>
    /// <param name="settings">Extra configuration keys (e.g. Smtp:MaxMessageSize).</param>
    protected MailSinkApp(string? dataDirectory, bool memory = false, IReadOnlyDictionary<string, string?>? settings = null)
        : this(dataDirectory, memory, settings, services: null)
    {
    }

    private MailSinkApp(string? dataDirectory, bool memory, IReadOnlyDictionary<string, string?>? settings, Action<IServiceCollection>? services)
    {
        _ownsDataDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "mailsink-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        DatabasePath = memory ? "memory" : Path.Combine(DataDirectory, "mailsink.db");

        var configuration = new Dictionary<string, string?>
        {
            ["Server:Bind"] = "127.0.0.1",
            ["Server:Hostname"] = Hostname,
            ["Server:DataDirectory"] = DataDirectory,
            ["Storage:Path"] = DatabasePath,
            ["Smtp:Smtp:Port"] = "0",
            ["Smtp:Submission:Port"] = "0",
            ["Smtp:Smtps:Port"] = "0",
            ["Web:HttpPort"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Development");
            foreach (var (key, value) in configuration)
            {
                web.UseSetting(key, value);
            }

            if (services is not null)
            {
                web.ConfigureTestServices(services);
            }
        });
    }

    /// <summary>Starts an instance outside xunit's fixture machinery (restart tests reuse a data folder).</summary>
    public static async Task<MailSinkApp> StartAsync(string? dataDirectory, bool memory = false, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var app = new MailSinkApp(dataDirectory, memory, settings);
        await app.InitializeAsync();
        return app;
    }

    /// <summary>The host name MailSink is configured to call itself (greeting, Received header).</summary>
    public const string Hostname = "sink.test";

    public string DataDirectory { get; }

    /// <summary>The configured Storage:Path: a file in <see cref="DataDirectory"/>, or "memory".</summary>
    public string DatabasePath { get; }

    public HttpClient Http { get; private set; } = null!;

    public IServiceProvider Services => _factory.Services;

    /// <summary>A handler into the in-process server, for clients that make their own requests (the SignalR hub client).</summary>
    public HttpMessageHandler CreateHandler() => _factory.Server.CreateHandler();

    /// <summary>A WebSocket client into the in-process server (Mailpit's /api/events).</summary>
    public WebSocketClient CreateWebSocketClient() => _factory.Server.CreateWebSocketClient();

    public int SmtpPort => PortOf("smtp");

    public int SubmissionPort => PortOf("submission");

    public int SmtpsPort => PortOf("smtps");

    public virtual Task InitializeAsync()
    {
        // CreateClient builds and starts the host, which starts the SMTP hosted service.
        Http = _factory.CreateClient();
        _ = SmtpPort;
        _ = SubmissionPort;
        _ = SmtpsPort;
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync()
    {
        Http?.Dispose();
        await _factory.DisposeAsync();
        if (_ownsDataDirectory)
        {
            DeleteFolder(DataDirectory);
        }
    }

    internal static void DeleteFolder(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a failed test; the OS temp cleaner gets it.
        }
    }

    private int PortOf(string name) =>
        Services.GetRequiredService<SmtpEndpoints>().PortOf(name)
        ?? throw new InvalidOperationException($"SMTP listener '{name}' is not bound.");

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    public Task<JsonNode> GetMessageAsync(string id) => GetJsonAsync($"/api/v1/message/{id}");

    public async Task<byte[]> GetRawAsync(string id)
    {
        using var response = await Http.GetAsync($"/api/v1/message/{id}/raw");
        Assert.True(response.IsSuccessStatusCode, $"raw {id}: {(int)response.StatusCode}");
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>Every message summary, newest first (pages through the list).</summary>
    public async Task<List<JsonNode>> ListAllMessagesAsync()
    {
        var result = new List<JsonNode>();
        while (true)
        {
            var page = await GetJsonAsync($"/api/v1/messages?start={result.Count}&limit=1000");
            var messages = page["messages"]!.AsArray();
            result.AddRange(messages.Select(m => m!));
            if (messages.Count == 0 || result.Count >= page["messages_count"]!.GetValue<int>())
            {
                return result;
            }
        }
    }

    public async Task DeleteAllMessagesAsync()
    {
        using var response = await Http.DeleteAsync("/api/v1/messages");
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Polls <paramref name="probe"/> until it returns a value or the deadline passes. Used for effects
    /// that happen after the SMTP reply (a session is saved once its connection closes).
    /// </summary>
    public static async Task<T> WaitUntilAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(25);
        }
    }

    /// <summary>Waits until the message with this ID can be read from the API.</summary>
    public Task<JsonNode> WaitForMessageAsync(string id) => WaitUntilAsync(async () =>
    {
        using var response = await Http.GetAsync($"/api/v1/message/{id}");
        return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
    }, $"message {id}");

    /// <summary>Waits until a session is saved with an outcome other than "open".</summary>
    public Task<JsonNode> WaitForClosedSessionAsync(string sessionId) => WaitUntilAsync(async () =>
    {
        using var response = await Http.GetAsync($"/api/v1/session/{sessionId}");
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        var session = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return session["Outcome"]!.GetValue<string>() == "open" ? null : session;
    }, $"session {sessionId} to close");

    /// <summary>Waits until a session matching <paramref name="match"/> is listed with a final outcome.</summary>
    public Task<JsonNode> WaitForListedSessionAsync(Func<JsonNode, bool> match, string what) => WaitUntilAsync(async () =>
    {
        var page = await GetJsonAsync("/api/v1/sessions?limit=1000");
        return page["sessions"]!.AsArray().FirstOrDefault(s => s is not null && s["Outcome"]!.GetValue<string>() != "open" && match(s));
    }, what);

    public async Task<HttpResponseMessage> SendJsonAsync(HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await Http.SendAsync(request);
    }
}
