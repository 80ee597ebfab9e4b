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

    /// <summary>Runs one of the scripts in Node/ (they import the installed npm clients); returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunScriptAsync(string script, params string[] arguments)
    {
        var folder = await InstallAsync();
        var node = ExternalTool.Require("node");
        return await ExternalTool.RunAsync(node, [Path.Combine(folder, script), .. arguments], TimeSpan.FromMinutes(1));
    }

    /// <summary>Installs the Node clients (once per lockfile) and returns the folder holding node_modules and the scripts.</summary>
    internal static async Task<string> InstallAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (_installed is not null)
            {
                return _installed;
            }

            // The folder is named by the content of every file in Node/ (lockfile and scripts), not the lockfile
            // alone: two checkouts testing at once (a branch and main) would otherwise overwrite each other's
            // scripts in one shared folder, and one run would drive the other's version of a client script.
            var source = Path.Combine(AppContext.BaseDirectory, "Node");
            var files = Directory.GetFiles(source).Order(StringComparer.Ordinal).ToList();
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var file in files)
            {
                hash.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetFileName(file)));
                hash.AppendData(await File.ReadAllBytesAsync(file));
            }

            var folder = Path.Combine(Path.GetTempPath(), "mailsink-tests", "node-" + Convert.ToHexString(hash.GetHashAndReset())[..16]);
            Directory.CreateDirectory(folder);
            foreach (var file in files)
            {
                var target = Path.Combine(folder, Path.GetFileName(file));
                if (!File.Exists(target))
                {
                    File.Copy(file, target);
                }
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
