namespace MailSink.Tests.Storage;

/// <summary>A temporary folder shared by one test class; each test opens its own database file in it.</summary>
public sealed class StoreTestFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(
        System.IO.Path.GetTempPath(), "mailsink-storage-tests", Guid.NewGuid().ToString("N"));

    public StoreTestFolder() => Directory.CreateDirectory(Path);

    public string NewDatabaseFile() => System.IO.Path.Combine(Path, Guid.NewGuid().ToString("N") + ".db");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A store a failed test left open; the OS temp cleaner gets it.
        }
    }
}
