using System.Diagnostics;

namespace MailSink.Tests.TestHost;

/// <summary>A folder with a tmpfs of a fixed size mounted on it, and a filler file that takes every free byte.</summary>
public sealed class TmpfsFolder : IAsyncDisposable
{
    private TmpfsFolder(string path) => Path = path;

    public string Path { get; }

    private string FillerPath => System.IO.Path.Combine(Path, "filler");

    public static async Task<TmpfsFolder> MountAsync(int megabytes)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mailsink-tmpfs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        var (code, output) = await RunAsync("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path);
        if (code != 0)
        {
            Directory.Delete(path);
            throw new InvalidOperationException($"mount -t tmpfs -o size={megabytes}m failed ({code}): {output}");
        }

        return new TmpfsFolder(path);
    }

    /// <summary>Writes a file until the file system answers ENOSPC, down to its last 4 KB page.</summary>
    public async Task FillAsync()
    {
        await using var filler = new FileStream(FillerPath, FileMode.Append, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        foreach (var chunk in new[] { 1024 * 1024, 64 * 1024, 4096 })
        {
            var bytes = new byte[chunk];
            while (true)
            {
                try
                {
                    await filler.WriteAsync(bytes);
                }
                catch (IOException)
                {
                    // ENOSPC: a part of the chunk may have landed; carry on from the real end with a smaller chunk.
                    filler.Seek(0, SeekOrigin.End);
                    break;
                }
            }
        }
    }

    public void FreeFiller() => File.Delete(FillerPath);

    public long FreeBytes() => new DriveInfo(Path).AvailableFreeSpace;

    public async ValueTask DisposeAsync()
    {
        // Lazy: a file a failed test still holds must not leave the mount behind.
        await RunAsync("umount", "-l", Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, (await stdout + await stderr).Trim());
    }
}
