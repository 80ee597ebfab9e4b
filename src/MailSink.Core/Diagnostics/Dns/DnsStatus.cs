namespace MailSink.Diagnostics.Dns;

/// <summary>How a DNS question ended.</summary>
internal enum DnsStatus
{
    /// <summary>One or more records.</summary>
    Found,

    /// <summary>NXDOMAIN or no record of the type (RFC 7208 section 4.6.4 counts both as a void lookup).</summary>
    NotFound,

    /// <summary>DNS is off and no overrides file answers: the check is "not evaluated", never a pass.</summary>
    NotEvaluated,

    /// <summary>Timeout or server failure: a temperror (RFC 7208 section 2.6.6).</summary>
    Failed,
}
