using System.Security.Cryptography;

namespace MailSink.Domain;

/// <summary>
/// IDs for messages and sessions: 48 bits of Unix milliseconds then a 32-bit counter, in Crockford
/// base32 (16 characters). They sort by time as strings, are unambiguous to read from a log line
/// ("queued as 01JDX..."), and never repeat within a process.
/// </summary>
internal sealed class MessageIdGenerator(TimeProvider time)
{
    /// <summary>
    /// Crockford's base32 digits (no I, L, O or U), in ascending order: the one spelling of the alphabet in the server
    /// (MailSink.Client keeps its own copy: the package does not reference the server).
    /// </summary>
    public const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>Characters in an ID.</summary>
    public const int Length = 16;
    private readonly Lock _gate = new();
    private long _lastMs;
    private uint _counter = (uint)RandomNumberGenerator.GetInt32(int.MaxValue);

    /// <summary>Whether <paramref name="text"/> has the shape of an ID, in either case (Crockford base32 reads both).</summary>
    public static bool IsWellFormed(string text) =>
        text.Length == Length && text.All(c => Alphabet.Contains(char.ToUpperInvariant(c), StringComparison.Ordinal));

    public string Next()
    {
        long ms;
        uint counter;
        lock (_gate)
        {
            ms = Math.Max(time.GetUtcNow().ToUnixTimeMilliseconds(), _lastMs);
            if (ms != _lastMs)
            {
                // A random start per millisecond keeps IDs from two processes apart.
                _counter = (uint)RandomNumberGenerator.GetInt32(int.MaxValue);
                _lastMs = ms;
            }
            else if (++_counter == 0)
            {
                _lastMs = ++ms;
            }

            counter = _counter;
        }

        var value = (UInt128)(ulong)ms << 32 | counter;
        Span<char> chars = stackalloc char[Length];
        for (var i = Length - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }

        return new string(chars);
    }
}
