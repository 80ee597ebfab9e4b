namespace MailSink.Storage;

/// <summary>
/// Refuses a write before LiteDB runs out of disk in the middle of it. An ENOSPC inside LiteDB 5.0.21 leaves its
/// page cache unusable (every later write: "page must be writable to support changes") and may leave a torn
/// page at the end of the log, so the writer checks the free space first and answers 451 at once; LiteDB's own
/// ENOSPC stays the rare fallback (another program filling the disk between the check and the write).
/// </summary>
internal sealed class DiskSpaceGuard(string? folder)
{
    /// <summary>
    /// Kept free beyond what a write needs: a commit writes index and header pages besides the data, and the
    /// checkpoint after it copies the log into the data file, which can need as much again.
    /// </summary>
    public const long Reserve = 2 * 1024 * 1024;

    /// <summary>Why a write of <paramref name="bytes"/> would not fit, or null when it fits (always in memory).</summary>
    public string? Refuse(long bytes)
    {
        if (folder is null)
        {
            return null;
        }

        long free;
        try
        {
            free = new DriveInfo(folder).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Cannot tell: let LiteDB try, its own error is the answer then.
            return null;
        }

        // Twice the bytes: once into the log at commit, once into the data file at the next checkpoint.
        var needed = Reserve + (2 * bytes);
        return free >= needed
            ? null
            : $"the disk holding {folder} is full ({Megabytes(free)} free, {Megabytes(needed)} needed)";
    }

    private static string Megabytes(long bytes) => $"{bytes / (1024.0 * 1024.0):0.0} MB";
}
