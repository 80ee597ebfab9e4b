using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace MailSink.Api.Auth;

/// <summary>
/// The users of <see cref="Options.WebOptions.HtpasswdFile"/>: one <c>user:password</c> a line, where the
/// password is a bcrypt hash as Apache's <c>htpasswd -B</c> writes it ($2y$, $2a$ or $2b$) or plain text.
/// Blank lines and lines starting with '#' are skipped. The other htpasswd hashes (MD5 $apr1$, SHA-1 {SHA},
/// crypt) are refused by name at start-up rather than taken for plain passwords that could never match.
/// </summary>
internal sealed partial class HtpasswdFile
{
    private static readonly string[] BcryptPrefixes = ["$2y$", "$2a$", "$2b$"];
    private static readonly string[] UnsupportedPrefixes = ["$apr1$", "{SHA}", "$1$", "$5$", "$6$", "$2x$"];

    private readonly Dictionary<string, string> _users;

    private HtpasswdFile(Dictionary<string, string> users) => _users = users;

    public int Count => _users.Count;

    /// <summary>Users given as name and password (bcrypt hash or plain), as the SMTP listeners' configured users are.</summary>
    public static HtpasswdFile FromUsers(IEnumerable<KeyValuePair<string, string>> users)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (user, secret) in users)
        {
            all[user] = secret;
        }

        return new HtpasswdFile(all);
    }

    /// <summary>Each user with its secret as written (bcrypt hash or plain password).</summary>
    public IEnumerable<KeyValuePair<string, string>> Entries => _users;

    /// <summary>
    /// The user's password when it is kept in plain text, which challenge-response mechanisms (CRAM-MD5,
    /// RFC 2195) need to compute the digest; null for an unknown user or a bcrypt one (a hash cannot be reversed).
    /// </summary>
    public string? PlainPassword(string user) =>
        _users.TryGetValue(user, out var secret) && !IsBcrypt(secret) ? secret : null;

    /// <summary>Whether a secret as written is a bcrypt hash rather than a plain password.</summary>
    public static bool IsBcryptHash(string secret) => IsBcrypt(secret);

    /// <summary>Reads and checks the file; a <see cref="FormatException"/> names the line that is wrong.</summary>
    public static HtpasswdFile Load(string path)
    {
        var users = new Dictionary<string, string>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in File.ReadLines(path))
        {
            number++;
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == line.Length - 1)
            {
                throw new FormatException($"line {number} is not 'user:password'");
            }

            var (user, secret) = (line[..colon], line[(colon + 1)..]);
            if (UnsupportedPrefixes.FirstOrDefault(p => secret.StartsWith(p, StringComparison.Ordinal)) is { } prefix)
            {
                throw new FormatException($"line {number} (user '{user}') uses a {prefix} hash, which MailSink does not read; use bcrypt (htpasswd -B) or a plain password");
            }

            if (IsBcrypt(secret) && !IsWellFormedBcrypt(secret))
            {
                throw new FormatException($"line {number} (user '{user}') has a malformed bcrypt hash");
            }

            if (!users.TryAdd(user, secret))
            {
                throw new FormatException($"line {number} repeats user '{user}'");
            }
        }

        return users.Count == 0 ? throw new FormatException("it lists no users") : new HtpasswdFile(users);
    }

    /// <summary>Whether <paramref name="password"/> is this user's. Slow for bcrypt users, by design of bcrypt.</summary>
    public bool Verify(string user, string password)
    {
        if (!_users.TryGetValue(user, out var secret))
        {
            return false;
        }

        if (IsBcrypt(secret))
        {
            return BCrypt.Net.BCrypt.Verify(password, secret);
        }

        // Fixed time: how much of a plain password matched must not show in the response time.
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(password)), SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    }

    private static bool IsBcrypt(string secret) => BcryptPrefixes.Any(p => secret.StartsWith(p, StringComparison.Ordinal));

    /// <summary>"$2y$", a two-digit cost, "$", then 53 characters of salt and hash (checked without hashing, which is slow).</summary>
    private static bool IsWellFormedBcrypt(string hash) => WellFormedBcrypt().IsMatch(hash);

    [GeneratedRegex(@"^\$2[aby]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}$")]
    private static partial Regex WellFormedBcrypt();
}
