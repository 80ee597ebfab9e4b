using MailSink.Api.Auth;

namespace MailSink.Smtp;

/// <summary>
/// A listener's strict modes, asked by the recorder before a command reaches SmtpServer. <see cref="Users"/> null:
/// any credentials are accepted (the default). <see cref="Hostname"/> goes into the CRAM-MD5 challenge (RFC 2195).
/// </summary>
internal sealed record ListenerPolicy(bool RequireTls, bool RequireAuth, HtpasswdFile? Users, AuthFailureTracker? Failures, string Hostname)
{
    /// <summary>Accept anything: for recorders made outside a listener (tests of the recorder alone).</summary>
    public static ListenerPolicy Lenient { get; } = new(false, false, null, null, "localhost");

    /// <summary>
    /// The reply refusing <paramref name="verb"/> before it reaches the library, or null to let it through.
    /// RFC 3207 section 4: 530 5.7.0 until STARTTLS; RFC 4954 section 6: 530 5.7.0 until AUTH.
    /// </summary>
    public string? Refusal(string verb, bool tls, bool authenticated) => verb switch
    {
        "MAIL" or "AUTH" when RequireTls && !tls => "530 5.7.0 Must issue a STARTTLS command first",
        "MAIL" when RequireAuth && !authenticated => "530 5.7.0 Authentication required",
        _ => null,
    };
}
