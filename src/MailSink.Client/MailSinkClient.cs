using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MailSink.Client;

/// <summary>
/// A typed client for MailSink's HTTP API (v1): list, read, search and delete captured mail, read
/// SMTP transcripts, wait for a message without sleeping or polling, and stream arrivals.
/// Errors from the server surface as <see cref="MailSinkException"/> carrying its problem details.
/// </summary>
/// <example>
/// <code>
/// using var mail = new MailSinkClient(new Uri("http://127.0.0.1:8025"));
/// var welcome = await mail.WaitForMessageAsync("to:ann@example.com subject:Welcome", TimeSpan.FromSeconds(10));
/// var confirm = welcome.FindLink("/confirm");
/// </code>
/// </example>
public sealed partial class MailSinkClient : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = null,
        PropertyNameCaseInsensitive = true,
    };

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <summary>
    /// Uses <paramref name="http"/>, whose <see cref="HttpClient.BaseAddress"/> must point at MailSink's
    /// HTTP port. Its <see cref="HttpClient.Timeout"/> (100 s by default) bounds every call: waits are
    /// split into calls of at most a minute, so the default is fine.
    /// </summary>
    public MailSinkClient(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.BaseAddress is null)
        {
            throw new ArgumentException("The HttpClient needs a BaseAddress: MailSink's HTTP address, e.g. http://127.0.0.1:8025.", nameof(http));
        }

        _http = http;
        BaseAddress = WithTrailingSlash(http.BaseAddress);
    }

    /// <summary>Creates its own <see cref="HttpClient"/> for MailSink at <paramref name="baseAddress"/> (disposed with this client).</summary>
    public MailSinkClient(Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        BaseAddress = WithTrailingSlash(baseAddress);
        _http = new HttpClient { BaseAddress = BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        _ownsHttp = true;
    }

    /// <summary>MailSink's HTTP address, ending in a slash.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A page of messages, newest first.</summary>
    public Task<MessagesPage> ListAsync(int start = 0, int limit = 50, CancellationToken cancellationToken = default) =>
        GetJsonAsync<MessagesPage>($"api/v1/messages?start={start}&limit={limit}", cancellationToken);

    /// <summary>Messages matching a search query, newest first (words, "phrases", from:, to:, subject:, has:attachment, is:unread, before:, after:, tag:, leading - negates).</summary>
    public Task<MessagesPage> SearchAsync(string query, int start = 0, int limit = 50, CancellationToken cancellationToken = default) =>
        GetJsonAsync<MessagesPage>($"api/v1/search?query={Escape(query)}&start={start}&limit={limit}", cancellationToken);

    /// <summary>The whole message with this ID ("latest" for the newest).</summary>
    public Task<Message> GetAsync(string id, CancellationToken cancellationToken = default) =>
        GetJsonAsync<Message>($"api/v1/message/{Escape(id)}", cancellationToken);

    /// <summary>The message exactly as received (with MailSink's Received header on top).</summary>
    public Task<byte[]> GetRawAsync(string id, CancellationToken cancellationToken = default) =>
        GetBytesAsync($"api/v1/message/{Escape(id)}/raw", cancellationToken);

    /// <summary>Every header in order, repeats kept.</summary>
    public Task<IReadOnlyList<MessageHeader>> GetHeadersAsync(string id, CancellationToken cancellationToken = default) =>
        GetJsonAsync<IReadOnlyList<MessageHeader>>($"api/v1/message/{Escape(id)}/headers?ordered=true", cancellationToken);

    /// <summary>A MIME part's decoded bytes (an attachment or inline image), by part ID.</summary>
    public Task<byte[]> GetPartAsync(string id, string partId, CancellationToken cancellationToken = default) =>
        GetBytesAsync($"api/v1/message/{Escape(id)}/part/{Escape(partId)}", cancellationToken);

    /// <summary>An attachment's decoded bytes.</summary>
    public Task<byte[]> GetAttachmentAsync(string messageId, Attachment attachment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        return GetPartAsync(messageId, attachment.PartId, cancellationToken);
    }

    /// <summary>The SMTP transcript of the session that delivered the message, with this message's transaction marked.</summary>
    public Task<MessageTranscript> GetTranscriptAsync(string id, CancellationToken cancellationToken = default) =>
        GetJsonAsync<MessageTranscript>($"api/v1/message/{Escape(id)}/transcript", cancellationToken);

    /// <summary>An SMTP session with its whole transcript.</summary>
    public Task<Session> GetSessionAsync(string sessionId, CancellationToken cancellationToken = default) =>
        GetJsonAsync<Session>($"api/v1/session/{Escape(sessionId)}", cancellationToken);

    /// <summary>
    /// The deliverability checks MailSink computed when the message arrived: DKIM, SPF, DMARC, header and protocol
    /// findings, each with its fix (what Gmail's "Show original" would say, before the mail leaves the machine).
    /// </summary>
    public Task<MessageChecks> GetChecksAsync(string id, CancellationToken cancellationToken = default) =>
        GetJsonAsync<MessageChecks>($"api/v1/message/{Escape(id)}/checks", cancellationToken);

    /// <summary>Every SMTP reply code and enhanced status code MailSink can explain, with its meaning and usual fix.</summary>
    public Task<IReadOnlyList<StatusCodeInfo>> GetCodesAsync(CancellationToken cancellationToken = default) =>
        GetJsonAsync<IReadOnlyList<StatusCodeInfo>>("api/v1/codes", cancellationToken);

    /// <summary>Deletes one message.</summary>
    public Task DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"api/v1/message/{Escape(id)}", null, cancellationToken);

    /// <summary>Deletes every message matching a search query (an empty query is refused: use <see cref="DeleteAllAsync"/>).</summary>
    public Task DeleteMatchingAsync(string query, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"api/v1/search?query={Escape(query)}", null, cancellationToken);

    /// <summary>Deletes every message and session.</summary>
    public Task DeleteAllAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, "api/v1/messages", null, cancellationToken);

    /// <summary>Disposes the HttpClient when this client created it.</summary>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private async Task<T> GetJsonAsync<T>(string relative, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri(BaseAddress, relative), cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false)
            ?? throw new MailSinkException(response.StatusCode, "Empty response", $"GET {relative} returned no JSON.");
    }

    private async Task<byte[]> GetBytesAsync(string relative, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri(BaseAddress, relative), cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task SendAsync(HttpMethod method, string relative, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(BaseAddress, relative)) { Content = content };
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        throw await ToExceptionAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<MailSinkException> ToExceptionAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string title = response.ReasonPhrase ?? response.StatusCode.ToString();
        string? detail = body.Length > 0 ? body : null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                title = doc.RootElement.TryGetProperty("title", out var t) && t.GetString() is { } tt ? tt : title;
                detail = doc.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
            }
        }
        catch (JsonException)
        {
            // Not a problem document: keep the body as the detail.
        }

        return new MailSinkException(response.StatusCode, title, detail);
    }

    private static string Escape(string value) => Uri.EscapeDataString(value);

    private static Uri WithTrailingSlash(Uri uri) =>
        uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");

    private static string FormatTimeout(TimeSpan timeout) =>
        ((long)Math.Max(0, Math.Ceiling(timeout.TotalMilliseconds))).ToString(CultureInfo.InvariantCulture) + "ms";

    private static bool IsTimeout(HttpResponseMessage response) => response.StatusCode == HttpStatusCode.RequestTimeout;
}
