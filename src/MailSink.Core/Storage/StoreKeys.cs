namespace MailSink.Storage;

/// <summary>
/// Field names and derived keys stored beside the mapped documents. Every indexed string is
/// truncated: LiteDB 5 rejects index keys of 1,023 bytes or more (a 2,000-char subject failed).
/// </summary>
internal static class StoreKeys
{
    public const string Messages = "messages";
    public const string Raw = "raw";
    public const string Sessions = "sessions";

    // Derived fields carry an "x_" prefix: LiteDB field names are case-insensitive, so a field
    // called "from" silently overwrote the mapped "From" address.

    /// <summary>Sort key: 19-digit UTC ticks then the id, so one index gives time order with id tie-break.</summary>
    public const string SortKey = "x_sort";

    /// <summary>Indexes of earlier versions (lower-cased copies of subject and sender), dropped at open: no query used them.</summary>
    public const string SubjectKey = "x_subject";
    public const string FromKey = "x_from";

    /// <summary>The multi-key index over each message's tags (tag names are at most 100 chars, well under the key limit).</summary>
    public const string TagsIndex = "tags";
    public const string TagsExpression = "$.Tags[*]";

    /// <summary>The search text's length in bytes when it is stored compressed (see <see cref="MailDocuments"/>).</summary>
    public const string SearchTextLength = "x_stl";

    /// <summary>The checks' BSON length in bytes when they are stored compressed (see <see cref="MailDocuments"/>).</summary>
    public const string ChecksLength = "x_ckl";

    /// <summary>Transcript line count, so session lists need not map the lines.</summary>
    public const string LineCount = "x_lines";

    /// <summary>128 chars is at most 512 bytes of UTF-8: well under the limit with room for the id.</summary>
    private const int MaxIndexedChars = 128;

    public static string SortKeyOf(DateTimeOffset time, string id) =>
        TicksPrefix(time.UtcTicks) + Truncate(id, MaxIndexedChars);

    /// <summary>A prefix that sorts before every key at or after <paramref name="utcTicks"/>.</summary>
    public static string TicksPrefix(long utcTicks) =>
        utcTicks.ToString("D19", System.Globalization.CultureInfo.InvariantCulture);

    private static string Truncate(string value, int maxChars)
    {
        if (value.Length <= maxChars)
        {
            return value;
        }

        // Never cut a surrogate pair in half: a lone surrogate is not valid UTF-8.
        var length = char.IsHighSurrogate(value[maxChars - 1]) ? maxChars - 1 : maxChars;
        return value[..length];
    }
}
