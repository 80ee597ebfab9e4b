using System.Text;

namespace MailSink.Mime;

/// <summary>
/// Accumulates lower-cased text for free-text search up to a fixed number of characters; pieces past the
/// cap are dropped so a huge body cannot grow the index without bound.
/// </summary>
internal sealed class SearchTextBuilder(int maxChars)
{
    private readonly StringBuilder _text = new();

    public bool IsFull => _text.Length >= maxChars;

    public void Add(string? piece)
    {
        if (string.IsNullOrWhiteSpace(piece) || IsFull)
        {
            return;
        }

        if (_text.Length > 0)
        {
            _text.Append(' ');
        }

        var room = maxChars - _text.Length;
        var trimmed = piece.Trim();
        if (trimmed.Length > room)
        {
            // Never keep half a surrogate pair: LiteDB refuses invalid UTF-16 and would fail the whole batch.
            room = room > 0 && char.IsHighSurrogate(trimmed[room - 1]) ? room - 1 : room;
            trimmed = trimmed[..room];
        }

        _text.Append(trimmed.ToLowerInvariant());
    }

    public override string ToString() => _text.ToString();
}
