using MailSink.Diagnostics;
using MailSink.Domain;
using MailSink.Mime;
using MailSink.Options;
using MailSink.Storage;
using Microsoft.Extensions.Options;

namespace MailSink.Smtp;

/// <summary>Who submitted a message through the HTTP send API, for its envelope and session.</summary>
internal sealed record ApiSubmitter(string ClientAddress, int ClientPort, string ServerAddress, int ServerPort, string? AuthUser, string Route);

/// <summary>
/// The ingest path of <see cref="SinkMessageStore"/> for messages that arrive over HTTP (Mailpit's
/// <c>POST /api/v1/send</c>): the same Received header (with HTTP as the protocol), projection, checks and
/// store commit, and a session of its own on listener <see cref="Listener"/> whose transcript says where the
/// message came from, so the inbox shows API messages beside SMTP ones without guessing.
/// </summary>
internal sealed class ApiMessageIngest(
    IMailStore store,
    MessageIdGenerator ids,
    SmtpCounters counters,
    TimeProvider time,
    ServerIdentity identity,
    IngestChecker checker,
    IOptions<SmtpOptions> smtp)
{
    /// <summary>The listener name API messages and their sessions carry.</summary>
    public const string Listener = "api";

    /// <summary>Stores the message and returns its ID; throws <see cref="StoreUnavailableException"/> when it could not be stored.</summary>
    public async Task<string> SubmitAsync(byte[] body, string mailFrom, IReadOnlyList<string> rcptTo, ApiSubmitter submitter, CancellationToken cancellationToken)
    {
        if (body.Length > smtp.Value.MaxMessageSize)
        {
            counters.MessageRejected();
            throw new MessageTooBigException(body.Length, smtp.Value.MaxMessageSize);
        }

        var started = time.GetUtcNow();
        var sessionId = ids.Next();
        var id = ids.Next();
        var envelope = new Envelope
        {
            MailFrom = mailFrom,
            RcptTo = [.. rcptTo],
            ClientAddress = submitter.ClientAddress,
            ClientPort = submitter.ClientPort,
            ServerAddress = submitter.ServerAddress,
            ServerPort = submitter.ServerPort,
            Listener = Listener,
            AuthUser = submitter.AuthUser,
        };

        var received = ReceivedHeaderBuilder.Build(envelope, id, identity.Hostname, "HTTP", started);
        var raw = new byte[received.Length + body.Length];
        received.CopyTo(raw, 0);
        body.CopyTo(raw, received.Length);

        var summary = MessageProjector.Project(raw, envelope, out var parsed);
        summary.Id = id;
        summary.SessionId = sessionId;
        summary.ReceivedAt = started;
        summary.Tags = MessageTagger.From(smtp.Value).TagsOf(parsed, summary);
        summary.Checks = await checker.CheckAsync(body, parsed, summary, cancellationToken).ConfigureAwait(false);

        var session = NewSession(sessionId, id, envelope, submitter, started, body.Length);
        (summary.TranscriptFirstLine, summary.TranscriptLastLine) = (0, session.Lines.Count - 1);
        try
        {
            await store.AddMessageAsync(summary, raw, session, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreUnavailableException)
        {
            counters.MessageRejected();
            throw;
        }

        counters.MessageAccepted(raw.Length);
        return id;
    }

    /// <summary>
    /// A session that reads like the SMTP transaction it stands for, every line an event (nothing crossed an
    /// SMTP wire), so transcript readers and the DATA marker binding work unchanged.
    /// </summary>
    private SessionRecord NewSession(string sessionId, string messageId, Envelope envelope, ApiSubmitter submitter, DateTimeOffset started, int bytes)
    {
        var now = time.GetUtcNow();
        TranscriptLine Event(string text, string? message = null) =>
            new() { Time = now, Direction = TranscriptDirection.Event, Text = text, MessageId = message };

        var lines = new List<TranscriptLine>
        {
            Event($"Submitted through the HTTP API ({submitter.Route}) by {submitter.ClientAddress}"
                + (submitter.AuthUser is null ? "" : $" as {submitter.AuthUser}") + ", not over SMTP"),
            Event($"Envelope sender <{envelope.MailFrom}>"),
        };
        lines.AddRange(envelope.RcptTo.Select(r => Event($"Envelope recipient <{r}>")));
        lines.Add(Event($"{TranscriptMarkers.DataContent}: {bytes} bytes, message {messageId}", messageId));
        lines.Add(Event("Session ended: message submitted through the API"));

        return new SessionRecord
        {
            Id = sessionId,
            StartedAt = started,
            EndedAt = now,
            Listener = Listener,
            ClientAddress = submitter.ClientAddress,
            ClientPort = submitter.ClientPort,
            ServerAddress = submitter.ServerAddress,
            ServerPort = submitter.ServerPort,
            AuthUser = submitter.AuthUser,
            Outcome = SessionOutcome.Quit,
            MessageIds = [messageId],
            Lines = lines,
        };
    }
}

/// <summary>An API message over <see cref="SmtpOptions.MaxMessageSize"/>, refused as SMTP would refuse it.</summary>
internal sealed class MessageTooBigException(long size, long limit)
    : Exception($"The message is {size} bytes; the limit is {limit} bytes (Smtp:MaxMessageSize).");
