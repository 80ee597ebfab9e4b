namespace MailSink.Storage;

/// <summary>
/// Subject words the writer knows are in the vocabulary of the open engine (<see cref="SubjectWords"/>), so it can skip
/// looking them up again. Writer only. Words join only after their transaction has committed, and the set is emptied
/// whenever the engine is (re)opened: a word rolled back or lost with a replaced file must be looked up again, or a
/// message with it would be missing from its <c>subject:</c> searches. Bounded: subjects carrying order numbers or
/// dates make new words for ever, and past <see cref="Capacity"/> they are simply looked up as before.
/// </summary>
internal sealed class KnownWords
{
    public const int Capacity = 50_000;

    private readonly HashSet<string> _words = new(StringComparer.Ordinal);

    public bool Contains(string word) => _words.Contains(word);

    /// <summary>After the commit of the batch that recorded them.</summary>
    public void Committed(List<string> words)
    {
        foreach (var word in words)
        {
            if (_words.Count >= Capacity)
            {
                return;
            }

            _words.Add(word);
        }
    }

    public void Clear() => _words.Clear();
}
