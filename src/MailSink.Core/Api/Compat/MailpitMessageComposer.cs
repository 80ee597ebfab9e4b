using MimeKit;

namespace MailSink.Api.Compat;

/// <summary>The MIME message and envelope a send request stands for.</summary>
internal sealed record ComposedMessage(byte[] Bytes, string MailFrom, IReadOnlyList<string> Recipients);

/// <summary>
/// Builds the MIME message for <see cref="MailpitSendRequest"/> as Mailpit's send handler does
/// (server/apiv1/send.go): From, To, Cc, Bcc (envelope only), Reply-To, Subject, text and HTML bodies,
/// attachments (inline with a Content-ID), extra headers except the ones the request already sets,
/// and the tags as an X-Tags header. Errors are sentences for the 400 answer.
/// </summary>
internal static class MailpitMessageComposer
{
    // Mailpit refuses to let Headers overwrite these (X-Tags too when Tags is given).
    private static readonly string[] RestrictedHeaders = ["To", "From", "Cc", "Bcc", "Reply-To", "Date", "Subject", "Content-Type", "Mime-Version"];

    public static ComposedMessage Compose(MailpitSendRequest request, out string? error)
    {
        error = null;
        var message = new MimeMessage();
        var recipients = new List<string>();
        if (request.From?.Email is not { Length: > 0 } fromEmail || !MailboxAddress.TryParse(fromEmail, out var from) || !from.Address.Contains('@'))
        {
            error = $"invalid From address: {request.From?.Email}";
            return Empty;
        }

        from.Name = request.From.Name ?? "";
        message.From.Add(from);

        if (!AddAll(request.To, message.To, recipients, "To", out error)
            || !AddAll(request.Cc, message.Cc, recipients, "Cc", out error)
            || !AddAll(request.Bcc?.Select(e => new SendAddress(e, null)).ToList(), null, recipients, "Bcc", out error)
            || !AddAll(request.ReplyTo, message.ReplyTo, null, "Reply-To", out error))
        {
            return Empty;
        }

        message.Subject = request.Subject ?? "";
        message.Date = DateTimeOffset.Now;
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId();

        var restricted = RestrictedHeaders.ToList();
        if (request.Tags is { Count: > 0 } tags)
        {
            message.Headers.Add("X-Tags", string.Join(", ", tags));
            restricted.Add("X-Tags");
        }

        foreach (var (name, value) in request.Headers ?? new Dictionary<string, string>())
        {
            if (restricted.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                error = $"cannot overwrite header: \"{name}\"";
                return Empty;
            }

            try
            {
                message.Headers.Add(name, value);
            }
            catch (ArgumentException)
            {
                error = $"invalid header name: \"{name}\"";
                return Empty;
            }
        }

        var body = new BodyBuilder { TextBody = request.Text ?? "" };
        if (!string.IsNullOrEmpty(request.HTML))
        {
            body.HtmlBody = request.HTML;
        }

        foreach (var attachment in request.Attachments ?? [])
        {
            if (!TryAttach(body, attachment, out error))
            {
                return Empty;
            }
        }

        message.Body = body.ToMessageBody();
        using var stream = new MemoryStream();
        message.WriteTo(WireFormat, stream);
        return new ComposedMessage(stream.ToArray(), from.Address, recipients);
    }

    // SMTP's line ending (RFC 5322 section 2.1), not the platform's: MimeKit's default writes LF on Linux.
    private static readonly FormatOptions WireFormat = CreateWireFormat();

    private static FormatOptions CreateWireFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }

    private static readonly ComposedMessage Empty = new([], "", []);

    private static bool AddAll(IReadOnlyList<SendAddress>? given, InternetAddressList? header, List<string>? envelope, string field, out string? error)
    {
        error = null;
        foreach (var a in given ?? [])
        {
            if (a.Email is not { Length: > 0 } email || !MailboxAddress.TryParse(email, out var parsed) || !parsed.Address.Contains('@'))
            {
                error = $"invalid {field} address: {a.Email}";
                return false;
            }

            parsed.Name = a.Name ?? "";
            header?.Add(parsed);
            envelope?.Add(parsed.Address);
        }

        return true;
    }

    private static bool TryAttach(BodyBuilder body, SendAttachment attachment, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(attachment.Filename))
        {
            error = "an attachment needs a Filename";
            return false;
        }

        // JavaScript's readAsDataURL() gives "data:image/png;base64,<content>": keep what follows the last comma.
        var content = attachment.Content ?? "";
        content = content[(content.LastIndexOf(',') + 1)..];
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(content);
        }
        catch (FormatException ex)
        {
            error = $"error decoding base64 attachment \"{attachment.Filename}\": {ex.Message}";
            return false;
        }

        var contentType = string.IsNullOrWhiteSpace(attachment.ContentType) ? MimeTypes.GetMimeType(attachment.Filename) : attachment.ContentType;
        if (!ContentType.TryParse(contentType, out var parsedType))
        {
            error = $"invalid ContentType for attachment \"{attachment.Filename}\": {contentType}";
            return false;
        }

        var entity = string.IsNullOrEmpty(attachment.ContentID)
            ? body.Attachments.Add(attachment.Filename, bytes, parsedType)
            : body.LinkedResources.Add(attachment.Filename, bytes, parsedType);
        if (!string.IsNullOrEmpty(attachment.ContentID))
        {
            entity.ContentId = attachment.ContentID;
        }

        return true;
    }
}
