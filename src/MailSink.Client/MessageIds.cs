namespace MailSink.Client;

/// <summary>MailSink message IDs: 16 Crockford base32 characters that sort by arrival as ordinal strings.</summary>
internal static class MessageIds
{
    /// <summary>
    /// A copy of the server's alphabet (MessageIdGenerator.Alphabet): the package does not reference the server, so a
    /// test in the server's suite checks that the two agree.
    /// </summary>
    internal const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>The ID immediately before <paramref name="id"/> in that order (so "after" it includes <paramref name="id"/>).</summary>
    public static string Previous(string id)
    {
        var chars = id.ToUpperInvariant().ToCharArray();
        for (var i = chars.Length - 1; i >= 0; i--)
        {
            var digit = Alphabet.IndexOf(chars[i], StringComparison.Ordinal);
            if (digit > 0)
            {
                chars[i] = Alphabet[digit - 1];
                return new string(chars);
            }

            chars[i] = Alphabet[^1];
        }

        return new string('0', id.Length);
    }
}
