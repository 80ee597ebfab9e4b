using System.Diagnostics;
using System.Text.RegularExpressions;
using MailSink.Tests.TestHost;
using Xunit.Abstractions;

namespace MailSink.Tests.Testing;

/// <summary>
/// Slow (packs three projects, restores and builds a consumer, about a minute): MailSink.Testing as a user gets it.
/// MailSink.Core, MailSink.Client and MailSink.Testing are packed into a local feed; a consumer project in a temp
/// folder references the package (not the project), restores from that feed plus the usual NuGet sources, and runs:
/// it starts MailSinkServer, sends one message with MailKit and waits for it. The consumer has what trips an
/// in-process server up in a real app: its own top-level Program (CS0433 if the package brought one), and an
/// appsettings.json asking for the host's "Now listening" lines and naming an SMTP port the server must not take.
/// It runs with only dotnet on PATH: no Node.js.
/// </summary>
[Collection(PackingCollection.Name)]
public sealed class TestingPackageTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] Packed = ["MailSink.Core", "MailSink.Client", "MailSink.Testing"];

    private readonly string _work = Path.Combine(Path.GetTempPath(), "mailsink-testing-package-" + Guid.NewGuid().ToString("N"));

    // Skipped (with the reason) where no dotnet SDK is on PATH to pack with; under CI=true that is a failure.
    [ToolFact("dotnet")]
    public async Task A_project_referencing_the_packed_MailSink_Testing_receives_a_message_and_stays_quiet()
    {
        // A version no cache can hold already: the consumer gets exactly what was packed now.
        var version = $"{BuildInfo.Version.Split('+')[0]}-pkgtest.{DateTime.UtcNow:yyyyMMddHHmmss}";
        var feed = Path.Combine(_work, "feed");
        await PackAsync(feed, version);

        var consumer = Path.Combine(_work, "consumer");
        await WriteConsumerAsync(consumer, feed, version);
        var environment = new Dictionary<string, string>
        {
            // Private package folder (the packed ones land here), the machine's usual one as a read-only fallback.
            ["NUGET_PACKAGES"] = Path.Combine(_work, "packages"),
            // dotnet's own folder only: the in-process server needs no Node.js (nor anything else on PATH).
            ["PATH"] = Path.GetDirectoryName(DotnetPath()) ?? "",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };

        var clock = Stopwatch.StartNew();
        var run = await RunAsync(DotnetPath(), ["run", "--project", consumer, "-c", "Release"], consumer, environment, TimeSpan.FromMinutes(5));
        output.WriteLine($"restored, built and ran in {clock.Elapsed.TotalSeconds:0.0} s\n{run.Stdout}\n{run.Stderr}");

        Assert.True(run.Exit == 0, $"exit {run.Exit}\n{run.Stdout}\n{run.Stderr}");
        Assert.Contains("received: hello from a package consumer", run.Stdout);
        Assert.Contains("no Program clash: Consumer", run.Stdout);
        Assert.DoesNotContain("Now listening", run.Stdout + run.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("WebRootPath", run.Stdout + run.Stderr, StringComparison.OrdinalIgnoreCase);
        // Restored as a package from the feed, with Core and Client as its dependencies: no project reference anywhere.
        var assets = await File.ReadAllTextAsync(Path.Combine(consumer, "obj", "project.assets.json"));
        foreach (var project in Packed)
        {
            Assert.Matches($"\"{Regex.Escape(project)}/{Regex.Escape(version)}\":\\s*{{\\s*\"type\":\\s*\"package\"", assets);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task PackAsync(string feed, string version)
    {
        var root = RepositoryRoot();
        var clock = Stopwatch.StartNew();
        foreach (var project in Packed)
        {
            var pack = await RunAsync(DotnetPath(), ["pack", Path.Combine(root, "src", project, project + ".csproj"), "-c", "Release", "-o", feed,
                $"-p:Version={version}", "-nologo"], root, null, TimeSpan.FromMinutes(5));
            Assert.True(pack.Exit == 0, pack.Stdout + pack.Stderr);
            Assert.True(File.Exists(Path.Combine(feed, $"{project}.{version}.nupkg")), $"no {project}.{version}.nupkg: {pack.Stdout}");
        }

        output.WriteLine($"packed in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private static async Task WriteConsumerAsync(string folder, string feed, string version)
    {
        Directory.CreateDirectory(folder);
        var globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

        // The local feed first, then the usual source; packages this machine already has come from its own folder.
        await File.WriteAllTextAsync(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="local"><package pattern="MailSink.*" /></packageSource>
                <packageSource key="nuget.org"><package pattern="*" /></packageSource>
              </packageSourceMapping>
              <fallbackPackageFolders>
                <add key="machine" value="{globalPackages}" />
              </fallbackPackageFolders>
            </configuration>
            """);

        // Outside the repository: none of its Directory.Build.props or central package versions apply.
        await File.WriteAllTextAsync(Path.Combine(folder, "Directory.Build.props"), "<Project />");
        await File.WriteAllTextAsync(Path.Combine(folder, "Directory.Packages.props"), "<Project />");
        await File.WriteAllTextAsync(Path.Combine(folder, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <RootNamespace>Consumer</RootNamespace>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="MailSink.Testing" Version="{version}" />
                <PackageReference Include="MailKit" Version="{MailKitPackageVersion()}" />
              </ItemGroup>
              <ItemGroup>
                <None Update="appsettings.json" CopyToOutputDirectory="PreserveNewest" />
              </ItemGroup>
            </Project>
            """);

        // An application's own settings in the output folder: the in-process server must read none of them.
        await File.WriteAllTextAsync(Path.Combine(folder, "appsettings.json"), """
            { "Logging": { "LogLevel": { "Default": "Information", "Microsoft.Hosting.Lifetime": "Information" } },
              "Smtp": { "Smtp": { "Port": 1 } } }
            """);
        await File.WriteAllTextAsync(Path.Combine(folder, "Program.cs"), """
            using MailKit.Net.Smtp;
            using MailSink.Hosting;
            using MimeKit;

            await using var sink = await MailSinkServer.StartAsync(new MailSinkServerOptions { EnableTlsListeners = false });
            using (var smtp = new SmtpClient())
            {
                await smtp.ConnectAsync(sink.SmtpHost, sink.SmtpPort, MailKit.Security.SecureSocketOptions.None);
                var message = new MimeMessage { Subject = "hello from a package consumer", Body = new TextPart("plain") { Text = "hi" } };
                message.From.Add(MailboxAddress.Parse("app@example.com"));
                message.To.Add(MailboxAddress.Parse("ann@example.com"));
                await smtp.SendAsync(message);
                await smtp.DisconnectAsync(true);
            }

            var received = await sink.Client.WaitForMessageAsync("to:ann@example.com", TimeSpan.FromSeconds(10));
            Console.WriteLine($"received: {received.Subject}");

            // The app's own Program (top-level statements): CS0433 here if a package brought another one.
            Console.WriteLine($"no Program clash: {typeof(Program).Assembly.GetName().Name}");
            """);
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(
        string file, string[] args, string workingDirectory, Dictionary<string, string>? environment, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Not the test host's MSBuild or runner settings: the child is a build of its own.
        foreach (var inherited in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "DOTNET_HOST_PATH" })
        {
            info.Environment.Remove(inherited);
        }

        foreach (var (key, value) in environment ?? [])
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in time: {await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The dotnet executable itself (a /usr/bin/dotnet symlink resolved), so its folder can be the whole PATH.</summary>
    private static string DotnetPath()
    {
        var path = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : ExternalTool.Require("dotnet");
        return new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MailSink.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("MailSink.sln not found above the test assembly.");
    }

    /// <summary>
    /// The MailKit package the tests run with (4.18.2): its file version, not its assembly version (4.18.0.0), which
    /// would ask for an older package than MailSink.Core's own MailKit dependency (Relay/) and fail restore with NU1605.
    /// </summary>
    private static string MailKitPackageVersion() =>
        Version.Parse(System.Reflection.CustomAttributeExtensions.GetCustomAttribute<System.Reflection.AssemblyFileVersionAttribute>(typeof(MailKit.Net.Smtp.SmtpClient).Assembly)!.Version).ToString(3);
}
