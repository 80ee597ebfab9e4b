using Xunit.Abstractions;

namespace MailSink.EndToEnd.Docker;

/// <summary>
/// The image built from the repository's Dockerfile on the configured base images (stand-ins by default, made here
/// when missing). Docker's layer cache makes a second build of an unchanged tree a matter of seconds.
/// </summary>
public static class RepositoryImage
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(25);

    /// <summary>Builds the Dockerfile and tags the result <paramref name="tag"/>; fails the test when the build fails.</summary>
    public static async Task BuildAsync(string tag, ITestOutputHelper output)
    {
        await EnsureBaseImagesAsync(output);
        var result = await ProcessRunner.RunAsync(
            "docker",
            [
                "build", "--network", "host",
                "--build-arg", $"SDK_IMAGE={DockerEnvironment.SdkImage}",
                "--build-arg", $"RUNTIME_IMAGE={DockerEnvironment.RuntimeImage}",
                "--build-arg", $"NODE_IMAGE={DockerEnvironment.NodeImage}",
                "-t", tag, ".",
            ],
            BuildTimeout,
            DockerEnvironment.RepositoryRoot);
        Assert.True(result.Succeeded, result.Describe(12000));
        var size = await ProcessRunner.RunAsync("docker", ["image", "inspect", "--format", "{{.Size}}", tag], TimeSpan.FromSeconds(90));
        output.WriteLine($"docker build: {result.Elapsed.TotalSeconds:F0}s; image {tag} {long.Parse(size.StdOut.Trim(), System.Globalization.CultureInfo.InvariantCulture) / 1_000_000} MB");
    }

    private static async Task EnsureBaseImagesAsync(ITestOutputHelper output)
    {
        output.WriteLine($"base images: SDK {DockerEnvironment.SdkImage}, runtime {DockerEnvironment.RuntimeImage}, node {DockerEnvironment.NodeImage}");
        if (!DockerEnvironment.UsesStandIns)
        {
            return;
        }

        var sdk = await ProcessRunner.RunAsync("docker", ["image", "inspect", DockerEnvironment.StandInSdkImage], TimeSpan.FromSeconds(90));
        var runtime = await ProcessRunner.RunAsync("docker", ["image", "inspect", DockerEnvironment.StandInRuntimeImage], TimeSpan.FromSeconds(90));
        if (sdk.Succeeded && runtime.Succeeded)
        {
            return;
        }

        // Normally done by .ci/run (tests/docker/ci-prepare.sh); idempotent, needs root.
        output.WriteLine("stand-in base images missing: running tests/docker/build-base-images.sh");
        var script = Path.Combine(DockerEnvironment.RepositoryRoot, "tests", "docker", "build-base-images.sh");
        var result = await ProcessRunner.RunAsync("bash", [script], TimeSpan.FromMinutes(20), DockerEnvironment.RepositoryRoot);
        Assert.True(result.Succeeded, result.Describe());
    }
}

/// <summary>
/// Tests that build and run the repository's image, one after another: two concurrent image builds on a two-core
/// machine only make both slower.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DockerCollection
{
    public const string Name = "Docker";
}
