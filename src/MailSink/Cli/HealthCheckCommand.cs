using MailSink.Options;

namespace MailSink.Cli;

/// <summary>
/// <c>mailsink healthcheck [--url URL]</c>: GET /readyz, exit 0 on 200 and 1 otherwise, one line of
/// output. Docker's HEALTHCHECK uses it so the image needs no curl.
/// </summary>
internal static class HealthCheckCommand
{
    public const int Healthy = 0;
    public const int Unhealthy = 1;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        string? url = null;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--url" && i + 1 < args.Count)
            {
                url = args[++i];
            }
            else if (args[i].StartsWith("--url=", StringComparison.Ordinal))
            {
                url = args[i]["--url=".Length..];
            }
            else
            {
                await output.WriteLineAsync($"unhealthy: unknown argument '{args[i]}' (usage: mailsink healthcheck [--url http://127.0.0.1:8025])").ConfigureAwait(false);
                return Unhealthy;
            }
        }

        url ??= DefaultUrl();
        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
        {
            await output.WriteLineAsync($"unhealthy: '{url}' is not an http(s) URL").ConfigureAwait(false);
            return Unhealthy;
        }

        var ready = new Uri(baseUri, "/readyz");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(ready, cancellationToken).ConfigureAwait(false);
            var healthy = (int)response.StatusCode == 200;
            await output.WriteLineAsync($"{(healthy ? "healthy" : "unhealthy")}: {ready} answered {(int)response.StatusCode}").ConfigureAwait(false);
            return healthy ? Healthy : Unhealthy;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            var reason = ex is TaskCanceledException ? "no answer within 5 s" : ex.Message;
            await output.WriteLineAsync($"unhealthy: {ready}: {reason}").ConfigureAwait(false);
            return Unhealthy;
        }
    }

    /// <summary>The local server on the configured HTTP port (MAILSINK_Web__HttpPort in a container), else 8025.</summary>
    private static string DefaultUrl()
    {
        var port = EnvironmentValue(EnvironmentVariableNames.Of($"{WebOptions.SectionName}:{nameof(WebOptions.HttpPort)}"));
        return $"http://127.0.0.1:{(int.TryParse(port, out var p) && p is > 0 and < 65536 ? p : 8025)}";
    }

    /// <summary>
    /// Looks a variable up ignoring case, as the configuration system does: the server reads
    /// MAILSINK_Web__HttpPort (the documented spelling) as well as MAILSINK_WEB__HTTPPORT, and on Linux
    /// Environment.GetEnvironmentVariable is case-sensitive.
    /// </summary>
    private static string? EnvironmentValue(string name)
    {
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return entry.Value as string;
            }
        }

        return null;
    }
}
