using System.Globalization;
using MailSink.Domain;

namespace MailSink.Api.Wait;

/// <summary>
/// The wait endpoint's <c>after</c>: a message ID (IDs sort by arrival as ordinal strings) or an
/// RFC 3339 time compared with when MailSink received the message. Empty admits every message.
/// </summary>
internal readonly record struct WaitAfter(string? Id, DateTimeOffset? Time)
{
    public static WaitAfter Anything => default;

    public bool Admits(MessageSummary message) =>
        (Id is null || string.CompareOrdinal(message.Id, Id) > 0)
        && (Time is null || message.ReceivedAt > Time.Value);

    public static bool TryParse(string? value, out WaitAfter after)
    {
        after = Anything;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        var text = value.Trim();
        if (MessageIdGenerator.IsWellFormed(text))
        {
            after = new WaitAfter(text.ToUpperInvariant(), null);
            return true;
        }

        // RFC 3339 needs a date, a time and an offset (or Z); a bare date is accepted as midnight UTC.
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var time)
            && text.Length >= 10 && char.IsAsciiDigit(text[0]))
        {
            after = new WaitAfter(null, time);
            return true;
        }

        return false;
    }

    public override string ToString() => Id ?? Time?.ToString("O", CultureInfo.InvariantCulture) ?? "";
}
