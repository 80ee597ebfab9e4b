namespace MailSink.Tests.TestHost;

/// <summary>
/// A test class's own real MailSink process (<see cref="MailSinkProcess"/>) with its store in a fresh temporary
/// folder: started before the first test, killed and its folder deleted after the last.
/// </summary>
public abstract class ProcessInTempFolder(string prefix) : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
    private MailSinkProcess? _sink;

    /// <summary>The temporary folder, deleted with everything in it after the last test.</summary>
    protected string Folder => _folder;

    protected MailSinkProcess Sink => _sink ?? throw new InvalidOperationException("The process is not started yet.");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _sink = await MailSinkProcess.StartAsync(Path.Combine(_folder, "mailsink.db"));
    }

    public async Task DisposeAsync()
    {
        if (_sink is not null)
        {
            await _sink.DisposeAsync();
        }

        MailSinkApp.DeleteFolder(_folder);
    }
}
