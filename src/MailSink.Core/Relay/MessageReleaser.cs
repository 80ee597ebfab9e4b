using MailSink.Storage;

namespace MailSink.Relay;

/// <summary>
/// Releases one stored message to a relay: loads the original bytes, checks the recipients against
/// Relay:AllowedRecipients and hands them to <see cref="MessageRelay"/>. The envelope sender is the one the
/// message arrived with; the recipients are only ever the ones the request names.
/// </summary>
internal sealed class MessageReleaser(IMailStore store, RelayTargets targets, MessageRelay relay)
{
    /// <returns>The relay's acceptance, or null when no message has <paramref name="id"/>.</returns>
    /// <exception cref="ReleaseRefusedException">A recipient is not an address, or not allowed.</exception>
    /// <exception cref="RelayException">The relay could not be reached or refused the message.</exception>
    public async Task<RelayResult?> ReleaseAsync(string id, RelayTarget target, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        if (recipients.Count == 0)
        {
            throw new ReleaseRefusedException("To", "No recipients: name at least one address to release the message to.");
        }

        var invalid = recipients.Where(r => !MimeKit.MailboxAddress.TryParse(r, out var parsed) || parsed.Address != r.Trim() || !r.Contains('@')).ToList();
        if (invalid.Count > 0)
        {
            throw new ReleaseRefusedException("To", $"Not an email address: {string.Join(", ", invalid)}. Give bare addresses such as ann@example.com.");
        }

        var notAllowed = targets.NotAllowed(recipients);
        if (notAllowed.Count > 0)
        {
            throw new ReleaseRefusedException("To", $"Not allowed by Relay:AllowedRecipients ('{targets.AllowedRecipients}'): {string.Join(", ", notAllowed)}.");
        }

        var summary = await store.GetMessageAsync(id, cancellationToken).ConfigureAwait(false);
        var raw = summary is null ? null : await store.GetRawAsync(summary.Id, cancellationToken).ConfigureAwait(false);
        if (summary is null || raw is null)
        {
            return null;
        }

        return await relay.SendAsync(target, summary.Envelope.MailFrom, recipients.Select(r => r.Trim()).ToList(), raw, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>A release request MailSink will not carry out (bad or disallowed recipients); <see cref="Parameter"/> names the field.</summary>
internal sealed class ReleaseRefusedException(string parameter, string message) : Exception(message)
{
    public string Parameter { get; } = parameter;
}
