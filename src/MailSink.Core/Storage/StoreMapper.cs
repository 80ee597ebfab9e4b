using LiteDB;
using MailSink.Domain;

namespace MailSink.Storage;

/// <summary>
/// The BsonMapper every collection uses. LiteDB's defaults would silently change data:
/// strings are trimmed and "" becomes null, and DateTimeOffset keeps only milliseconds.
/// </summary>
internal static class StoreMapper
{
    public static BsonMapper Create()
    {
        var mapper = new PrebuiltBsonMapper
        {
            // Transcript lines keep their trailing spaces and domain strings are never null.
            TrimWhitespace = false,
            EmptyStringToNull = false,
            SerializeNullValues = false,
            EnumAsInteger = false,
        };

        // BSON dates are milliseconds in UTC: store exact UTC ticks plus the offset so the
        // instant round-trips to the tick and the sender's offset is kept for display.
        mapper.RegisterType<DateTimeOffset>(ToBson, FromBson);

        // MAIL FROM parameters: arbitrary client keys are not valid BSON field names, and the
        // case-insensitive comparer the domain relies on must survive the round trip.
        mapper.RegisterType<Dictionary<string, string>>(
            value => new BsonArray(value.Select(kv => new BsonArray { kv.Key, kv.Value })),
            bson =>
            {
                var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var pair in bson.AsArray)
                {
                    result[pair[0].AsString] = pair[1].AsString;
                }

                return result;
            });

        mapper.Prebuild(typeof(MessageSummary), typeof(SessionRecord));
        return mapper;
    }

    /// <summary>A <see cref="DateTimeOffset"/> as stored: its UTC ticks and its offset in minutes.</summary>
    public static BsonDocument ToBson(DateTimeOffset value) => new()
    {
        ["t"] = value.UtcTicks,
        ["o"] = (int)value.Offset.TotalMinutes,
    };

    public static DateTimeOffset FromBson(BsonValue bson) =>
        new DateTimeOffset(bson["t"].AsInt64, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(bson["o"].AsInt32));
}
