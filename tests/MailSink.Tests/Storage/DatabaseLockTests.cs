using MailSink.Storage;

namespace MailSink.Tests.Storage;

/// <summary>Two engines on one LiteDB file corrupt it; the lock file keeps a second instance out until the first has closed.</summary>
public sealed class DatabaseLockTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mailsink-lock-" + Guid.NewGuid().ToString("N"));

    public DatabaseLockTests() => Directory.CreateDirectory(_folder);

    [Fact]
    public void A_second_holder_is_refused_with_the_file_named_until_the_first_lets_go()
    {
        var path = Path.Combine(_folder, "mailsink.db");
        var first = DatabaseLock.Acquire(path, TimeSpan.FromSeconds(1));

        var refused = Assert.Throws<StoreUnavailableException>(() => DatabaseLock.Acquire(path, TimeSpan.FromMilliseconds(300)));
        Assert.Contains(path, refused.Message);
        Assert.Contains("in use by another MailSink", refused.Message);

        first.Dispose();
        using var second = DatabaseLock.Acquire(path, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_newcomer_waits_for_an_instance_that_is_still_closing()
    {
        var path = Path.Combine(_folder, "mailsink.db");
        var first = DatabaseLock.Acquire(path, TimeSpan.FromSeconds(1));
        var release = Task.Run(async () =>
        {
            await Task.Delay(400);
            first.Dispose();
        });

        using var second = DatabaseLock.Acquire(path, TimeSpan.FromSeconds(10));
        await release;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
