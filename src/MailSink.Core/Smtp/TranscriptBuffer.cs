using System.Globalization;
using MailSink.Domain;

namespace MailSink.Smtp;

/// <summary>
/// A session's transcript, bounded: the first half of <c>maxLines</c> is kept, then a rolling tail of
/// the latest lines, and the lines that fall out between are only counted. 200,000 pipelined NOOPs
/// once grew a process by 500 MB and made the session too large for LiteDB's 16 MB document limit,
/// so it was not saved at all (issue 13). Lines keep their absolute numbers (what messages refer to);
/// <see cref="SessionRecord.Position"/> maps them onto the kept lines.
/// </summary>
internal sealed class TranscriptBuffer(int maxLines)
{
    /// <summary>RFC 5321 section 4.5.3.1.4-5: command and reply lines are at most 512 octets; longer text is cut for the record.</summary>
    public const int MaxLineLength = 512;

    private readonly List<TranscriptLine> _head = [];
    private readonly Queue<TranscriptLine> _tail = new();
    private DateTimeOffset _firstElidedAt;

    private int HeadCapacity => maxLines / 2;

    /// <summary>One line of the budget goes to the line that says how many were left out.</summary>
    private int TailCapacity => Math.Max(1, maxLines - HeadCapacity - 1);

    /// <summary>Lines recorded so far, kept or not: the number the next line gets.</summary>
    public int Count { get; private set; }

    /// <summary>Lines kept from the start of the session (the line saying what was left out comes after them).</summary>
    public int HeadCount => _head.Count;

    /// <summary>Lines left out between the head and the tail.</summary>
    public int Elided { get; private set; }

    public void Add(TranscriptLine line)
    {
        if (line.Text.Length > MaxLineLength)
        {
            line.Text = $"{line.Text[..MaxLineLength]}... ({line.Text.Length - MaxLineLength} more characters)";
        }

        Count++;
        if (_head.Count < HeadCapacity)
        {
            _head.Add(line);
            return;
        }

        _tail.Enqueue(line);
        if (_tail.Count > TailCapacity)
        {
            var dropped = _tail.Dequeue();
            if (Elided == 0)
            {
                _firstElidedAt = dropped.Time;
            }

            Elided++;
        }
    }

    /// <summary>The most recent kept line matching <paramref name="match"/>.</summary>
    public TranscriptLine? FindLast(Func<TranscriptLine, bool> match) => _tail.LastOrDefault(match) ?? _head.FindLast(l => match(l));

    /// <summary>Copies of the kept lines in order, with the line that says how many were left out.</summary>
    public List<TranscriptLine> Snapshot()
    {
        var lines = new List<TranscriptLine>(_head.Count + _tail.Count + 1);
        lines.AddRange(_head.Select(Copy));
        if (Elided > 0)
        {
            lines.Add(new TranscriptLine
            {
                Time = _firstElidedAt,
                Direction = TranscriptDirection.Event,
                Text = string.Create(CultureInfo.InvariantCulture,
                    $"{Elided:N0} transcript lines elided here (the first {_head.Count:N0} and the last {_tail.Count:N0} lines of a session are kept: Smtp:MaxTranscriptLines)"),
            });
        }

        lines.AddRange(_tail.Select(Copy));
        return lines;
    }

    private static TranscriptLine Copy(TranscriptLine l) => new() { Time = l.Time, Direction = l.Direction, Text = l.Text, MessageId = l.MessageId };
}
