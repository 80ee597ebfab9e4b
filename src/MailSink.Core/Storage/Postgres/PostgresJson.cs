using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using MailSink.Domain;

namespace MailSink.Storage.Postgres;

/// <summary>
/// How summaries and sessions are written to jsonb. System.Text.Json keeps DateTimeOffset to the tick with its
/// offset (ISO 8601, 7 decimals) and enums by name, so a row reads back exactly what was stored.
/// </summary>
internal static class PostgresJson
{
    /// <summary>The columns that hold these (and change without rewriting the summary): left out of the jsonb.</summary>
    private static readonly HashSet<string> ColumnProperties =
        [nameof(MessageSummary.SearchText), nameof(MessageSummary.Read), nameof(MessageSummary.Tags), nameof(SessionRecord.Lines)];

    public static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new JsonStringEnumConverter() },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver
        {
            Modifiers =
            {
                info =>
                {
                    if (info.Type == typeof(MessageSummary) || info.Type == typeof(SessionRecord))
                    {
                        foreach (var property in info.Properties)
                        {
                            if (ColumnProperties.Contains(property.Name))
                            {
                                property.ShouldSerialize = (_, _) => false;
                            }
                        }
                    }
                },
            },
        },
    };

    public static string Serialize<T>(T value) => JsonSafe(JsonSerializer.Serialize(value, Options));

    public static MessageSummary ToSummary(string json, bool read, string[] tags, string searchText)
    {
        var summary = JsonSerializer.Deserialize<MessageSummary>(json, Options)!;
        summary.Read = read;
        summary.Tags = [.. tags];
        summary.SearchText = searchText;

        // The domain compares MAIL FROM parameter names ignoring case (as SMTP does); a deserialized dictionary would not.
        summary.Envelope.MailParameters = new(summary.Envelope.MailParameters, StringComparer.OrdinalIgnoreCase);
        return summary;
    }

    public static SessionRecord ToSession(string json, string? lines)
    {
        var session = JsonSerializer.Deserialize<SessionRecord>(json, Options)!;
        session.Lines = lines is null ? [] : JsonSerializer.Deserialize<List<TranscriptLine>>(lines, Options)!;
        return session;
    }

    /// <summary>Text for a text column: PostgreSQL text cannot hold U+0000, which hostile mail may carry.</summary>
    public static string TextSafe(string? value) =>
        value is null ? "" : value.Contains('\0', StringComparison.Ordinal) ? value.Replace('\0', '\uFFFD') : value;

    /// <summary>
    /// jsonb refuses the escape \u0000 (a NUL in a subject or transcript line); it becomes U+FFFD. Escapes are
    /// walked pairwise so an escaped backslash followed by "u0000" is left alone.
    /// </summary>
    private static string JsonSafe(string json)
    {
        if (!json.Contains("\\u0000", StringComparison.Ordinal))
        {
            return json;
        }

        var result = new StringBuilder(json.Length);
        for (var i = 0; i < json.Length; i++)
        {
            if (json[i] == '\\' && i + 1 < json.Length)
            {
                if (string.CompareOrdinal(json, i, "\\u0000", 0, 6) == 0)
                {
                    result.Append("\\uFFFD");
                    i += 5;
                }
                else
                {
                    result.Append(json, i, 2);
                    i++;
                }

                continue;
            }

            result.Append(json[i]);
        }

        return result.ToString();
    }
}
