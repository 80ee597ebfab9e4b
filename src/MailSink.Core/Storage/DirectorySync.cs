using System.Runtime.InteropServices;

namespace MailSink.Storage;

/// <summary>
/// fsync of a folder, so a file created or renamed in it survives a crash (POSIX: the name lives in the folder, and
/// fsync of the file does not make it durable). .NET has no API for it: the folder is opened read-only and fsynced
/// through libc. Elsewhere than Linux the rename is left to the file system (NTFS journals its metadata).
/// </summary>
internal static class DirectorySync
{
    /// <summary>O_RDONLY: a folder opens read-only without O_DIRECTORY (whose value differs between architectures).</summary>
    private const int ReadOnly = 0;

    public static void Flush(string folder)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Open(folder, ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"Could not open the folder {folder} to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"Could not flush the folder {folder} to disk (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Globalization", "CA2101", Justification = "Marshalled as UTF-8, what Linux paths are.")]
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
