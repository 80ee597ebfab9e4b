using MailSink.Contracts;
using MailSink.Diagnostics;
using MailSink.Domain;
using MailSink.Faults;
using Client = MailSink.Client;

namespace MailSink.Tests.Contracts;

/// <summary>
/// One representative instance of every wire shape in src/MailSink.Core/Contracts, each field set to a value that
/// shows its type (no nulls where a value can be, so a renamed nested field shows too), with the MailSink.Client
/// model that reads it (null where the client has none: it does not read /api/v1/info or the hub's small payloads).
/// Their serialized forms are the golden files in Golden/, which the client test and web-ui/src/api/contract.check.ts
/// both read.
/// </summary>
internal static partial class ContractSamples
{
    public sealed record Sample(string Name, object Value, Type? ClientModel, bool Hub = false);

    private static readonly DateTimeOffset Received = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TlsInfo Tls = new("Tls13", "TLS_AES_256_GCM_SHA384");
    private static readonly EmailAddress Alice = new("Alice Example", "alice@example.com");
    private static readonly EmailAddress Bob = new("", "bob@example.net");

    public static readonly IReadOnlyList<Sample> All =
    [
        new("MessageSummaryDto", MessageSummary, typeof(Client.MessageSummary)),
        new("MessageDto", Message, typeof(Client.Message)),
        new("MessagesPageDto", new MessagesPageDto(12, 3, 1, 5, 2, 0, ["signup", "welcome"], [MessageSummary]), typeof(Client.MessagesPage)),
        new("AttachmentDto", Attachment, typeof(Client.Attachment)),
        new("HeaderDto", new HeaderDto("Subject", "Welcome to Example"), typeof(Client.MessageHeader)),
        new("TranscriptLineDto", Line, typeof(Client.TranscriptLine)),
        new("SessionSummaryDto", SessionSummary, typeof(Client.SessionSummary)),
        new("SessionDto", Session, typeof(Client.Session)),
        new("SessionsPageDto", new SessionsPageDto(7, 0, 1, [SessionSummary]), null),
        new("MessageTranscriptDto", new MessageTranscriptDto(SessionSummary, 2, 9, [Line]), typeof(Client.MessageTranscript)),
        new("FaultRuleDto", FaultRule, typeof(Client.FaultRule)),
        new("FaultPresetDto", new FaultPresetDto("greylist", "rcpt", "greylist", "Answers 451 4.7.1 to the first attempt of each (client, sender, recipient) triplet."), null),
        new("InfoDto", Info, null),
        new("MessageChecksDto", Checks, typeof(Client.MessageChecks)),
        new("SmtpStatusCodeDto", StatusCode, typeof(Client.StatusCodeInfo)),
        new("HubMessageUpdate", new HubMessageUpdate("01JDX3M5Q0000000", true, ["signup"]), null, Hub: true),
        new("HubStats", new HubStats(12, 3), null, Hub: true),
    ];

    private static TranscriptLineDto Line => new(Received, "server", "250 2.0.0 Ok: queued as 01JDX3M5Q0000000", "01JDX3M5Q0000000");

    private static AttachmentDto Attachment => new("2", "report.pdf", "application/pdf", "part2@example.com", 48213, false);

    private static MessageSummaryDto MessageSummary => new(
        "01JDX3M5Q0000000", "welcome-1@example.com", false, Alice, [Bob], [Bob], [Bob], [Alice], "Welcome to Example", Received,
        "app", ["signup"], 5120, 1, "Hello Bob, thanks for signing up", "01JDX3M5P0000000", true, true,
        ["Bare LF in DATA"], "smtp", Tls, "noreply@example.com", ["bob@example.net"], Counts);

    private static FindingCountsDto Counts => new(1, 2, 3, 4);

    private static MessageDto Message => new(
        "01JDX3M5Q0000000", "welcome-1@example.com", true, Alice, [Bob], [Bob], [Bob], [Alice], "bounce@example.com",
        "Welcome to Example", Received.AddSeconds(-2), Received, ["signup"], "app", "Hello Bob", "<p>Hello Bob</p>", 5120,
        [Attachment with { Inline = true, PartID = "1.2", Checksums = Checksums }],
        [Attachment with { Checksums = Checksums }],
        "01JDX3M5P0000000", Envelope,
        [Hop], ["Bare LF in DATA"], "Hello Bob", true, true, "smtp", Tls, "noreply@example.com", ["bob@example.net"], Counts,
        new ListUnsubscribeDto("<mailto:unsubscribe@example.com>, <https://example.com/unsubscribe>", ["mailto:unsubscribe@example.com", "https://example.com/unsubscribe"], "", "List-Unsubscribe=One-Click"));

    private static AttachmentChecksumsDto Checksums => new("9e107d9d372bb6826bd81d3542a419d6", "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12", "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592");

    private static Envelope Envelope => new()
    {
        MailFrom = "noreply@example.com",
        MailParameters = new(StringComparer.OrdinalIgnoreCase) { ["SIZE"] = "5120" },
        RcptTo = ["bob@example.net"],
        Helo = "app.example.com",
        ClientAddress = "127.0.0.1",
        ClientPort = 53124,
        ServerAddress = "127.0.0.1",
        ServerPort = 1025,
        Listener = "smtp",
        Tls = Tls,
        AuthUser = "app",
    };

    private static ReceivedHop Hop => new()
    {
        Index = 0,
        Raw = "from app.example.com (localhost [127.0.0.1]) by sink.test with ESMTPS id 01JDX3M5Q0000000; Sun, 01 Jun 2025 12:00:00 +0000",
        From = "app.example.com",
        By = "sink.test",
        Via = "tcp",
        With = "ESMTPS",
        Id = "01JDX3M5Q0000000",
        For = "bob@example.net",
        Tls = "TLSv1.3",
        Date = Received,
        DelaySeconds = 0.5,
        Note = "clock skew",
    };

    private static SessionSummaryDto SessionSummary => new(
        "01JDX3M5P0000000", Received.AddSeconds(-3), Received, "smtp", "127.0.0.1", "app.example.com", Tls, "app", "quit",
        "Too many errors", 1, ["01JDX3M5Q0000000"], 12, ["greylist-1"]);

    private static SessionDto Session => new(
        "01JDX3M5P0000000", Received.AddSeconds(-3), Received, "smtp", "127.0.0.1", 53124, "127.0.0.1", 1025, "app.example.com",
        Tls, "app", "quit", "Too many errors", 1, ["01JDX3M5Q0000000"], 1, ["greylist-1"], [Line]);

    private static FaultRuleDto FaultRule => new(
        "greylist-1", "Greylist new senders", "greylist", "rcpt",
        new FaultMatchSpec { Sender = "*@example.com", Recipient = "/^bob@/", ClientAddress = "127.0.0.1", AuthUser = "app", Helo = "app.example.com", Listener = "smtp" },
        new FaultActionDto("greylist", 451, "4.7.1", "Try again later", 1.5, true, "slow", 300, 10),
        0.5, 42, 3, 2);

    private static InfoDto Info => new(
        "0.1.0", "disabled", 12, 3, 7, 1048576, "/data/mailsink.db",
        new Dictionary<string, int> { ["newsletter"] = 2, ["signup"] = 1 },
        new RuntimeStatsDto(3600, 52428800, 40, 204800, 2, 0, 5),
        [new ListenerDto("smtp", "127.0.0.1", 1025, "None")]);
}
