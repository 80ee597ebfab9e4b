using System.Security.Cryptography;
using System.Text.Json;

namespace MailSink.Tests.TestHost;

/// <summary>
/// nodemailer, installed by the test run itself: <c>npm ci</c> from the lockfile in Node/ into a folder
/// named after the lockfile's hash (so a new lockfile means a new install, and an old one is reused).
/// </summary>
public static class Nodemailer
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private static string? _installed;

    /// <summary>
    /// Sends one message with <paramref name="transportOptions"/> passed to <c>createTransport</c> unchanged.
    /// Returns nodemailer's exit code and what it printed (the final reply, or the error code and message).
    /// </summary>
    public static async Task<(int ExitCode, string Output)> SendAsync(object transportOptions, string subject)
    {
        var folder = await InstallAsync();
        var node = ExternalTool.Require("node");
        return await ExternalTool.RunAsync(node, [Path.Combine(folder, "send.mjs"), JsonSerializer.Serialize(transportOptions), subject]);
    }

    internal static async Task<string> InstallAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (_installed is not null)
            {
                return _installed;
            }

            var source = Path.Combine(AppContext.BaseDirectory, "Node");
            var lockfile = await File.ReadAllBytesAsync(Path.Combine(source, "package-lock.json"));
            var folder = Path.Combine(Path.GetTempPath(), "mailsink-tests", "node-" + Convert.ToHexString(SHA256.HashData(lockfile))[..16]);
            Directory.CreateDirectory(folder);
            foreach (var file in Directory.GetFiles(source))
            {
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)), overwrite: true);
            }

            if (!File.Exists(Path.Combine(folder, "node_modules", "nodemailer", "package.json")))
            {
                var npm = ExternalTool.Require("npm");
                var (exitCode, output) = await ExternalTool.RunAsync(npm, ["ci", "--prefix", folder, "--no-audit", "--no-fund", "--ignore-scripts"], TimeSpan.FromMinutes(3));
                Assert.True(exitCode == 0, $"npm ci for nodemailer failed ({exitCode}):\n{output}");
            }

            return _installed = folder;
        }
        finally
        {
            InstallLock.Release();
        }
    }
}
