using System.Text.Json.Nodes;

namespace MailSink.Tests.TestHost;

/// <summary>
/// Runs one of the Node API-client scripts in Node/ (the real npm <c>mailhog</c> and <c>mailpit-api</c> clients)
/// as its own process against a server's HTTP port, and reads back what the client returned.
/// </summary>
public static class NodeApiClient
{
    /// <summary>Runs <paramref name="script"/> with the port and arguments; the client's result is on the "RESULT " line.</summary>
    public static async Task<NodeCall> RunAsync(string script, int port, params string[] arguments)
    {
        var folder = await Nodemailer.InstallAsync();
        var node = ExternalTool.Require("node");
        var (exitCode, output) = await ExternalTool.RunAsync(node, [Path.Combine(folder, script), port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. arguments], TimeSpan.FromMinutes(1));
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        return new NodeCall(exitCode, output, line is null ? null : JsonNode.Parse(line["RESULT ".Length..]));
    }

    /// <summary>Calls <c>api[method](...arguments)</c> of the npm mailhog client.</summary>
    public static Task<NodeCall> MailHogAsync(int port, string method, params object?[] arguments) =>
        RunAsync("mailhog-client.mjs", port, method, System.Text.Json.JsonSerializer.Serialize(arguments));

    /// <summary>Calls <c>mailpit[method](...arguments)</c> of mailpit-api's MailpitClient.</summary>
    public static Task<NodeCall> MailpitAsync(int port, string method, params object?[] arguments) =>
        RunAsync("mailpit-client.mjs", port, method, System.Text.Json.JsonSerializer.Serialize(arguments));
}

/// <summary>The script's exit code, everything it printed, and the client's result (null when it failed).</summary>
public sealed record NodeCall(int ExitCode, string Output, JsonNode? Result)
{
    /// <summary>The result, or a failed assertion showing what the client printed.</summary>
    public JsonNode Ok()
    {
        Assert.True(ExitCode == 0, $"the Node client failed ({ExitCode}):\n{Output}");
        return Result ?? throw new Xunit.Sdk.XunitException($"the Node client printed no result:\n{Output}");
    }
}
