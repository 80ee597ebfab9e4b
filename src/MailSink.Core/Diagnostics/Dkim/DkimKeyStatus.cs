namespace MailSink.Diagnostics.Dkim;

internal enum DkimKeyStatus
{
    Found,
    NotEvaluated,
    NoKey,
    Revoked,
    Malformed,
    DnsFailed,
}
