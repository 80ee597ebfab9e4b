namespace MailSink.Smtp;

/// <summary>Runtime SMTP counters for /api/v1/info (Mailpit's RuntimeStats names).</summary>
internal sealed class SmtpCounters
{
    private long _accepted;
    private long _acceptedBytes;
    private long _rejected;

    public long Accepted => Interlocked.Read(ref _accepted);

    public long AcceptedBytes => Interlocked.Read(ref _acceptedBytes);

    public long Rejected => Interlocked.Read(ref _rejected);

    public void MessageAccepted(long bytes)
    {
        Interlocked.Increment(ref _accepted);
        Interlocked.Add(ref _acceptedBytes, bytes);
    }

    public void MessageRejected() => Interlocked.Increment(ref _rejected);
}
