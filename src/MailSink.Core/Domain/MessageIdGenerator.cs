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

    /// <summary>The counter's top 8 bits when nodes share a store (<see cref="UseNodeSlot"/>), else null.</summary>
    private uint? _slot;

    /// <summary>Whether <paramref name="text"/> has the shape of an ID, in either case (Crockford base32 reads both).</summary>
    public static bool IsWellFormed(string text) =>
        text.Length == Length && text.All(c => Alphabet.Contains(char.ToUpperInvariant(c), StringComparison.Ordinal));

    /// <summary>
    /// Nodes sharing one store (PostgreSQL) each take a slot no other live node has: the slot becomes the counter's
    /// top 8 bits, so two nodes' IDs differ even in the same millisecond. Without it two processes collide only when
    /// their random starts fall within the IDs both make in one millisecond: about 2k/2^31 per shared millisecond
    /// for k IDs each, which over months of busy nodes is not negligible. Up to 2^23 IDs a millisecond per slot.
    /// </summary>
    public void UseNodeSlot(byte slot)
    {
        lock (_gate)
        {
            _slot = (uint)slot << 24;
            _lastMs++;
            _counter = SlotStart(_slot.Value);
        }
    }

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
                _counter = _slot is { } slot ? SlotStart(slot) : (uint)RandomNumberGenerator.GetInt32(int.MaxValue);
                _lastMs = ms;
            }
            else if (_slot is { } slot)
            {
                // Within the slot's 24 bits; past them, borrow the next millisecond as the plain counter does.
                if ((++_counter & 0xFFFFFF) == 0)
                {
                    _lastMs = ++ms;
                    _counter = SlotStart(slot);
                }
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

    /// <summary>A random start in the lower half of the slot's 24 bits, so 2^23 increments stay inside the slot.</summary>
    private static uint SlotStart(uint slot) => slot | (uint)RandomNumberGenerator.GetInt32(1 << 23);
}
