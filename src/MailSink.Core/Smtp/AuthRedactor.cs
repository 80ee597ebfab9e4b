using System.Text;

namespace MailSink.Smtp;

/// <summary>
/// What the transcript shows of AUTH: the mechanism and the user name, never a secret.
/// RFC 4954 section 4: an initial response on the AUTH line, and every line answered by 334, carry credentials.
/// </summary>
internal static class AuthRedactor
{
    /// <summary>"AUTH PLAIN dGVzdAB0ZXN0AHRlc3Q=" becomes "AUTH PLAIN [credentials redacted; user: test]".</summary>
    public static string Command(string line)
    {
        var parts = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 3)
        {
            return line;
        }

        var user = parts[1].Equals("PLAIN", StringComparison.OrdinalIgnoreCase) ? PlainUser(parts[2]) : null;
        return $"{parts[0]} {parts[1]} [credentials redacted{(user is null ? "" : $"; user: {user}")}]";
    }

    /// <summary>
    /// A client line answering a 334 challenge; <paramref name="expectUsername"/> when the challenge asked for it (AUTH LOGIN),
    /// <paramref name="cramResponse"/> when it answers a CRAM-MD5 challenge (only then is "user SP digest" read as such:
    /// a LOGIN password of that shape must not show its first word).
    /// </summary>
    public static string Continuation(string line, bool expectUsername, bool cramResponse = false)
    {
        if (line == "*")
        {
            // RFC 4954 section 4: "*" cancels the exchange; nothing secret in it.
            return line;
        }

        if (expectUsername)
        {
            var user = TryBase64(line);
            return user is null ? "[username redacted]" : $"[username: {Printable(user)}]";
        }

        var authcid = cramResponse ? CramUser(line) : PlainUser(line);
        return authcid is null ? "[secret redacted]" : $"[credentials redacted; user: {authcid}]";
    }

    /// <summary>The user of a CRAM-MD5 response (RFC 2195: user SP digest); the digest is not secret but says nothing to a reader.</summary>
    private static string? CramUser(string base64) =>
        TryBase64(base64) is { } decoded && CramMd5.Parse(decoded) is var (user, _) ? Printable(user) : null;

    public static string? TryBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written) ? Encoding.UTF8.GetString(buffer, 0, written) : null;
    }

    /// <summary>The authcid of a SASL PLAIN response (RFC 4616: authzid NUL authcid NUL passwd).</summary>
    private static string? PlainUser(string base64)
    {
        var decoded = TryBase64(base64);
        if (decoded is null)
        {
            return null;
        }

        var parts = decoded.Split('\0');
        return parts.Length == 3 ? Printable(parts[1]) : null;
    }

    private static string Printable(string s) => new(s.Where(c => !char.IsControl(c)).Take(256).ToArray());
}
