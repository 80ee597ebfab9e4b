using System.Diagnostics.CodeAnalysis;
using MimeKit;

namespace MailSink.Mime;

/// <summary>
/// Reads what the detail views show from a stored message's raw bytes: bodies, headers and parts.
/// Part ids are those of <see cref="MessageProjector"/> (the same walker numbers both). The raw bytes
/// must stay alive and unchanged while the reader is used: MimeKit reads part content from them lazily.
/// Never throws for bad input: an unparseable message has no headers, no bodies and no parts.
/// </summary>
internal sealed class MessageContentReader
{
    private readonly MimeMessage? _message;
    private readonly Lazy<BodyParts> _bodies;
    private readonly Lazy<string?> _text;
    private readonly Lazy<string?> _html;

    public MessageContentReader(ReadOnlyMemory<byte> raw)
        : this(MimeLoader.TryLoad(raw, out var error), error)
    {
    }

    /// <summary>Over a seekable stream (a large message's file), which must stay open while the reader is used.</summary>
    public MessageContentReader(Stream raw)
        : this(MimeLoader.TryLoad(raw, out var error), error)
    {
    }

    private MessageContentReader(MimeMessage? message, string? error)
    {
        _message = message;
        ParseError = error;
        Headers = _message is null ? [] : MimeLoader.TopLevelHeaders(_message).Select(ToHeader).ToArray();
        _bodies = new Lazy<BodyParts>(() => _message is null ? new BodyParts(null, null) : BodyParts.Select(MimePartWalker.Walk(_message)));
        _text = new Lazy<string?>(() => (_bodies.Value.Text?.Entity as TextPart)?.Text);
        _html = new Lazy<string?>(() => (_bodies.Value.Html?.Entity as TextPart)?.Text);
    }

    /// <summary>Why MimeKit could not parse the message, or null.</summary>
    public string? ParseError { get; }

    /// <summary>The plain-text body, or null when there is none.</summary>
    public string? Text => _text.Value;

    /// <summary>The HTML body, or null when there is none. Untrusted: render it sandboxed.</summary>
    public string? Html => _html.Value;

    /// <summary>Every top-level header in order, repeats kept.</summary>
    public IReadOnlyList<MessageHeader> Headers { get; }

    /// <summary>Finds a leaf part by its path and decodes it; false for unknown ids, malformed ids and multiparts.</summary>
    public bool TryGetPart(string partId, [NotNullWhen(true)] out MessagePartContent? part)
    {
        part = null;
        if (!TryOpenPart(partId, out var opened))
        {
            return false;
        }

        using var content = new MemoryStream();
        using (opened.Content)
        {
            opened.Content.CopyTo(content);
        }

        part = new MessagePartContent(opened.PartId, opened.ContentType, opened.FileName, content.ToArray());
        return true;
    }

    /// <summary>
    /// Like <see cref="TryGetPart"/>, with the content as a stream the caller disposes, decoded as it is read from the
    /// raw bytes: a 6 MB attachment is never a 6 MB array (issue 12). Read it before the raw bytes are released.
    /// </summary>
    public bool TryOpenPart(string partId, [NotNullWhen(true)] out MessagePartStream? part)
    {
        part = null;
        if (_message is null || MimePartWalker.Find(_message, partId) is not { } node)
        {
            return false;
        }

        Stream content;
        switch (node.Entity)
        {
            case MimePart { Content: { } mimeContent }:
                content = mimeContent.Open();
                break;
            case MimePart:
                content = new MemoryStream([], writable: false);
                break;
            case MessagePart { Message: { } embedded }:
                var written = new MemoryStream();
                embedded.WriteTo(written);
                written.Position = 0;
                content = written;
                break;
            default:
                return false;
        }

        part = new MessagePartStream(node.PartId, node.Entity.ContentType.MimeType, SafeFileName.For(node.Entity, node.PartId), content);
        return true;
    }

    private static MessageHeader ToHeader(Header header)
    {
        var raw = HeaderText.FromRaw(header.RawValue).TrimEnd('\r', '\n');
        string value;
        try
        {
            value = header.Value;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or NotSupportedException)
        {
            value = raw;
        }

        return new MessageHeader(header.Field, value.Trim(), raw.TrimStart(' ', '\t'));
    }
}
