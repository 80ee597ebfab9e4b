using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using MailSink.Options;
using MailSink.Realtime;
using Microsoft.Extensions.Options;

namespace MailSink.Api.Auth;

/// <summary>
/// Decides whether a request carries credentials for the web UI and API: HTTP Basic checked against
/// <see cref="WebOptions.HtpasswdFile"/>, or <see cref="WebOptions.ApiToken"/> as a bearer token (in the
/// Authorization header, or as <c>access_token</c> in the query of the hub only, where a browser WebSocket
/// cannot set headers). Options are validated at start-up, so the file is known to be readable and well formed.
/// </summary>
internal sealed class WebCredentials
{
    private const int MaxRemembered = 1_000;

    private readonly HtpasswdFile? _users;
    private readonly byte[]? _tokenHash;

    // bcrypt takes tens of milliseconds by design, and the UI makes several requests a page: remember the pairs
    // that verified, by a SHA-256 of user and password (never the password itself), so only the first pays.
    private readonly ConcurrentDictionary<string, bool> _verified = new(StringComparer.Ordinal);

    public WebCredentials(IOptions<WebOptions> options)
    {
        var o = options.Value;
        IsRequired = o.RequiresAuthentication;
        AcceptsBasic = o.HtpasswdFile.Length > 0;
        AcceptsBearer = o.ApiToken.Length > 0;
        _users = AcceptsBasic ? HtpasswdFile.Load(o.HtpasswdFile) : null;
        _tokenHash = AcceptsBearer ? Hash(o.ApiToken) : null;
    }

    public bool IsRequired { get; }

    public bool AcceptsBasic { get; }

    public bool AcceptsBearer { get; }

    /// <summary>Whether the request carries credentials; null when it carries none at all.</summary>
    public bool? Check(HttpRequest request)
    {
        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header) && header.Parameter is { } parameter)
        {
            if (header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            {
                return CheckBasic(parameter);
            }

            if (header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            {
                return CheckToken(parameter);
            }

            return false;
        }

        if (request.Path.StartsWithSegments(InboxHub.Path) && request.Query["access_token"].ToString() is { Length: > 0 } token)
        {
            return CheckToken(token);
        }

        return null;
    }

    private bool CheckToken(string token) =>
        _tokenHash is not null && CryptographicOperations.FixedTimeEquals(Hash(token), _tokenHash);

    private bool CheckBasic(string parameter)
    {
        if (_users is null)
        {
            return false;
        }

        string decoded;
        try
        {
            // RFC 7617 section 2.1: with charset="UTF-8" announced, browsers send UTF-8.
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parameter));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        var key = Convert.ToHexString(Hash(decoded));
        if (_verified.ContainsKey(key))
        {
            return true;
        }

        if (!_users.Verify(decoded[..colon], decoded[(colon + 1)..]))
        {
            return false;
        }

        if (_verified.Count >= MaxRemembered)
        {
            _verified.Clear();
        }

        _verified[key] = true;
        return true;
    }

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
