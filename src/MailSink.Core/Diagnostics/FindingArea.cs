using System.Text.Json.Serialization;

namespace MailSink.Diagnostics;

/// <summary>Which part of the message or the conversation a finding is about.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FindingArea>))]
internal enum FindingArea
{
    [JsonStringEnumMemberName("dkim")]
    Dkim,

    [JsonStringEnumMemberName("spf")]
    Spf,

    [JsonStringEnumMemberName("dmarc")]
    Dmarc,

    [JsonStringEnumMemberName("headers")]
    Headers,

    [JsonStringEnumMemberName("mime")]
    Mime,

    [JsonStringEnumMemberName("smtp")]
    Smtp,

    [JsonStringEnumMemberName("content")]
    Content,
}
