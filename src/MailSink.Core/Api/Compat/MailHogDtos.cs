namespace MailSink.Api.Compat;

// MailHog API v2 shapes (PascalCase keys, as its npm clients `mailhog` and `cypress-mailhog` read them).

/// <summary>A MailHog "Path": an address split at the '@'.</summary>
internal sealed record MailHogPath(object? Relays, string Mailbox, string Domain, string Params)
{
    public static MailHogPath Of(string address)
    {
        var at = address.LastIndexOf('@');
        return at < 0 ? new(null, address, "", "") : new(null, address[..at], address[(at + 1)..], "");
    }
}

/// <summary>Headers (name as sent: values), the undecoded body, and nested parts.</summary>
internal sealed record MailHogContent(Dictionary<string, List<string>> Headers, string Body, long Size, object? MIME);

/// <summary>The parts of a multipart body.</summary>
internal sealed record MailHogMime(IReadOnlyList<MailHogContent> Parts);

/// <summary>The SMTP envelope and the raw message.</summary>
internal sealed record MailHogRaw(string From, IReadOnlyList<string> To, string Data, string Helo);

/// <summary>One message.</summary>
internal sealed record MailHogMessage(
    string ID,
    MailHogPath From,
    IReadOnlyList<MailHogPath> To,
    MailHogContent Content,
    DateTimeOffset Created,
    MailHogMime? MIME,
    MailHogRaw Raw);

/// <summary>A page of messages: {total, count, start, items}.</summary>
internal sealed record MailHogPage(
    [property: System.Text.Json.Serialization.JsonPropertyName("total")] int Total,
    [property: System.Text.Json.Serialization.JsonPropertyName("count")] int Count,
    [property: System.Text.Json.Serialization.JsonPropertyName("start")] int Start,
    [property: System.Text.Json.Serialization.JsonPropertyName("items")] IReadOnlyList<MailHogMessage> Items);
