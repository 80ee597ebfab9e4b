using System.Net;
using System.Text.RegularExpressions;

namespace MailSink.Api.Compat.LinkCheck;

/// <summary>One tested link (Mailpit "Link").</summary>
internal sealed record LinkDto(string URL, int StatusCode, string Status);

/// <summary>Mailpit's "LinkCheckResponse".</summary>
internal sealed record LinkCheckResponse(int Errors, IReadOnlyList<LinkDto> Links);

/// <summary>
/// Mailpit's link check, made safe to run on attacker-written mail. Links are collected as Mailpit collects
/// them (a href, stylesheet link href, img src, then bare and angle-bracketed URLs in the text; at most
/// <see cref="MaxLinks"/>), but fetched only when the request says <c>follow=true</c>: MailSink never makes a
/// request to a URL from a message on its own. Then each is asked with HEAD, through <see cref="SafeConnector"/>
/// (public addresses only, after DNS, redirects too), with a per-link timeout and a few at a time.
/// </summary>
internal sealed partial class LinkChecker : IDisposable
{
    public const int MaxLinks = 100;
    public const int MaxRedirects = 3;
    private const int Parallel = 4;
    public static readonly TimeSpan PerLinkTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;

    public LinkChecker()
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = SafeConnector.ConnectAsync,

            // A proxy would be the one connecting, past the address check.
            UseProxy = false,
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = MaxRedirects,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        };
        _http = new HttpClient(handler) { Timeout = PerLinkTimeout };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd($"MailSink/{BuildInfo.Version} (link check)");
    }

    public async Task<LinkCheckResponse> CheckAsync(string? html, string? text, bool fetch, CancellationToken cancellationToken)
    {
        var links = Collect(html ?? "", text ?? "");
        if (!fetch)
        {
            var unchecked_ = links.Select(l => new LinkDto(l, 0, "Not checked: MailSink fetches links only when asked with follow=true")).ToList();
            return new LinkCheckResponse(0, unchecked_);
        }

        using var gate = new SemaphoreSlim(Parallel);
        var results = await Task.WhenAll(links.Select(async link =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                return await HeadAsync(link, cancellationToken);
            }
            finally
            {
                gate.Release();
            }
        }));
        return new LinkCheckResponse(results.Count(r => r.StatusCode is 0 or >= 400), results);
    }

    private async Task<LinkDto> HeadAsync(string link, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return new LinkDto(link, 0, "Invalid URL");
        }

        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Head, uri);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var code = (int)response.StatusCode;
            return new LinkDto(link, code, response.ReasonPhrase is { Length: > 0 } reason ? reason : ((HttpStatusCode)code).ToString());
        }
        catch (HttpRequestException ex) when (Blocked(ex) is { } blocked)
        {
            // Mailpit's answer for the same refusal: 451 "Blocked private/reserved address".
            return new LinkDto(link, 451, $"Blocked private/reserved address: {blocked.Message}");
        }
        catch (HttpRequestException ex)
        {
            return new LinkDto(link, 0, ex.InnerException?.Message ?? ex.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new LinkDto(link, 0, $"Timed out after {PerLinkTimeout.TotalSeconds:0} s");
        }
    }

    private static BlockedAddressException? Blocked(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is BlockedAddressException blocked)
            {
                return blocked;
            }
        }

        return null;
    }

    internal static List<string> Collect(string html, string text)
    {
        var links = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(string link)
        {
            link = WebUtility.HtmlDecode(link.Trim());
            if (links.Count < MaxLinks && seen.Add(link))
            {
                links.Add(link);
            }
        }

        foreach (var regex in new[] { AnchorHref(), StylesheetHref(), ImageSrc() })
        {
            foreach (Match m in regex.Matches(html))
            {
                Add(m.Groups["url"].Value);
            }
        }

        foreach (Match m in TextLink().Matches(text))
        {
            Add(m.Groups["url"].Value);
        }

        foreach (Match m in BracketLink().Matches(text))
        {
            Add(m.Groups["url"].Value.Replace("\n", "", StringComparison.Ordinal));
        }

        return links;
    }

    public void Dispose() => _http.Dispose();

    private const string Url = """(?<url>https?://[^"'\s>]+)""";

    [GeneratedRegex("""<a\s[^>]*?\bhref\s*=\s*["']?""" + Url, RegexOptions.IgnoreCase)]
    private static partial Regex AnchorHref();

    [GeneratedRegex("""<link\s(?=[^>]*\brel\s*=\s*["']?stylesheet)[^>]*?\bhref\s*=\s*["']?""" + Url, RegexOptions.IgnoreCase)]
    private static partial Regex StylesheetHref();

    [GeneratedRegex("""<img\s[^>]*?\bsrc\s*=\s*["']?""" + Url, RegexOptions.IgnoreCase)]
    private static partial Regex ImageSrc();

    // Mailpit's text patterns: a bare URL not right after '<', and a URL in angle brackets.
    [GeneratedRegex(@"(?:^|[^<])\b(?<url>https?://[\-\w@:%_\+'!.~#?,&/=;]+)", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex TextLink();

    [GeneratedRegex(@"<(?<url>https?://[\-\w@:%_\+'!.~#?,&/=;][^>]+)>", RegexOptions.IgnoreCase)]
    private static partial Regex BracketLink();
}
