using System.Text.RegularExpressions;

namespace MailSink.Domain;

/// <summary>
/// Mailpit's rules for tag names (internal/tools/tags.go, config.ValidTagRegexp): letters, digits, '-', '_', '.', '@'
/// and single spaces, 1 to 100 characters. Anything else becomes a space, runs of spaces collapse, the ends are trimmed.
/// </summary>
internal static partial class TagNames
{
    public const int MaxLength = 100;

    /// <summary>The cleaned name, or "" when nothing is left of it.</summary>
    public static string Clean(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "";
        }

        var cleaned = Spaces().Replace(InvalidCharacters().Replace(name, " "), " ").Trim();
        return cleaned.Length > MaxLength ? cleaned[..MaxLength].TrimEnd() : cleaned;
    }

    /// <summary>
    /// Cleans every name, drops the empty ones and repeats (ignoring case, the first spelling wins, as Mailpit's
    /// SetMessageTags does) and sorts them ordinally (Mailpit lists a message's tags by name).
    /// </summary>
    public static List<string> Normalize(IEnumerable<string?> names)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var result = new List<string>();
        foreach (var name in names)
        {
            var cleaned = Clean(name);
            if (cleaned.Length > 0 && seen.Add(cleaned))
            {
                result.Add(cleaned);
            }
        }

        result.Sort(StringComparer.Ordinal);
        return result;
    }

    /// <summary>The tags of a comma-separated X-Tags header value.</summary>
    public static IEnumerable<string> FromHeader(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : value.Split(',');

    /// <summary>
    /// The tags in a plus-address: "user+a@x" gives "a", "user+a+b@x" gives "a" and "b" (Mailpit's
    /// <c>(?U)^(.*){1,}\+(.*)@</c>: everything after the first '+' of the local part, split at '+').
    /// </summary>
    public static IEnumerable<string> FromPlusAddress(string? address)
    {
        if (string.IsNullOrEmpty(address))
        {
            return [];
        }

        var plus = address.IndexOf('+');
        var at = plus < 0 ? -1 : address.IndexOf('@', plus + 1);
        return at < 0 ? [] : address[(plus + 1)..at].Split('+');
    }

    [GeneratedRegex(@"[^a-zA-Z0-9\-\ _\.@]", RegexOptions.CultureInvariant)]
    private static partial Regex InvalidCharacters();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Spaces();
}
