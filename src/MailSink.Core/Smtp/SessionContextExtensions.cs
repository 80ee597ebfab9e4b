using SmtpServer;

namespace MailSink.Smtp;

/// <summary>
/// The one place that knows where a session's <see cref="SessionRecorder"/> lives in SmtpServer's
/// <see cref="ISessionContext.Properties"/>, so no caller repeats the key or the cast.
/// </summary>
internal static class SessionContextExtensions
{
    private const string RecorderKey = "MailSink:SessionRecorder";

    /// <summary>Attaches the recorder of the connection the session runs on (RecordingEndpointListener).</summary>
    public static void AttachRecorder(this ISessionContext context, SessionRecorder recorder) =>
        context.Properties[RecorderKey] = recorder;

    /// <summary>The session's recorder; null only if no recording listener accepted the connection.</summary>
    public static SessionRecorder? Recorder(this ISessionContext context) =>
        context.Properties.TryGetValue(RecorderKey, out var value) ? value as SessionRecorder : null;
}
