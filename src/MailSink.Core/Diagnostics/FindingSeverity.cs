using System.Text.Json.Serialization;

namespace MailSink.Diagnostics;

/// <summary>How much a finding would hurt delivery, worst first (the order the UI and CLI sort by).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FindingSeverity>))]
public enum FindingSeverity
{
    /// <summary>A real receiver would reject, junk or fail authentication because of it.</summary>
    [JsonStringEnumMemberName("error")]
    Error,

    /// <summary>Legal, but a common cause of filtering or a break waiting to happen.</summary>
    [JsonStringEnumMemberName("warning")]
    Warning,

    /// <summary>Worth knowing; no effect on delivery by itself.</summary>
    [JsonStringEnumMemberName("info")]
    Info,

    /// <summary>A check that was evaluated and passed (never used for checks that were not evaluated).</summary>
    [JsonStringEnumMemberName("pass")]
    Pass,
}
