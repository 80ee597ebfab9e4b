namespace MailSink.EndToEnd.Browser.Infrastructure;

/// <summary>A fresh MailSink process per test class (not started when the browser tests are skipped).</summary>
public class HostFixture : IAsyncLifetime
{
    private MailSinkHost? _host;

    internal MailSinkHost Host => _host ?? throw new InvalidOperationException(Chromium.MissingMessage);

    public virtual async Task InitializeAsync()
    {
        if (Chromium.ExecutablePath is null)
        {
            return;
        }

        _host = await MailSinkHost.StartAsync(await PrepareStorageAsync());
    }

    /// <summary>A database file to start the host on, or null for a new empty one.</summary>
    protected virtual Task<string?> PrepareStorageAsync() => Task.FromResult<string?>(null);

    public virtual async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
