namespace MailSink.Storage;

/// <summary>
/// An exclusive lock beside the LiteDB file. LiteDB's direct mode does not stop a second process (or a
/// second host in the same process) from opening the same file, and two engines writing one file corrupt
/// it ("page type must be index page"). The lock file is held with FileShare.None (flock on Unix) for as
/// long as the database is open; a newcomer waits briefly for a previous instance that is still shutting
/// down, then gives up naming the file.
/// </summary>
internal sealed class DatabaseLock : IDisposable
{
    private readonly FileStream _stream;

    private DatabaseLock(FileStream stream) => _stream = stream;

    public static DatabaseLock Acquire(string databasePath, TimeSpan wait)
    {
        var lockPath = databasePath + ".lock";
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            try
            {
                return new DatabaseLock(new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                // Synchronous on purpose: this runs once, while the store is being constructed at start-up.
                Thread.Sleep(100);
            }
            catch (IOException ex)
            {
                throw new StoreUnavailableException(
                    $"Storage:Path '{databasePath}' is in use by another MailSink (lock file '{lockPath}'). Stop it, or give this one its own --storage file or --data-dir.", ex);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
