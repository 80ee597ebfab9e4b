namespace MailSink.Storage;

/// <summary>
/// The subject-word vocabulary's spellings in memory, so a <c>subject:</c> search finds the words containing its
/// terms without reading every vocabulary document (4.3 ms warm for 7,500 words, on every search and every
/// <c>/api/v1/wait</c>, since subjects with numbers add a word a message). Loaded from the engine at the first search
/// after it opens; from then on the writer adds the words of each batch once it has committed, still holding the
/// gate, so a reader never sees a committed message whose word the mirror lacks. It may hold words the file no
/// longer has (deleted messages keep their vocabulary entries too): a word without messages is read as no candidates.
/// Past its capacity (<see cref="Capacity"/> spellings) it gives up until the engine reopens, and searches read the
/// vocabulary as before.
/// </summary>
internal sealed class VocabularyMirror(int capacity = VocabularyMirror.Capacity)
{
    /// <summary>About 20 MB at most (strings, list and set); a mailbox of order numbers and dates makes new words for ever.</summary>
    public const int Capacity = 200_000;

    private readonly Lock _lock = new();
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly List<string> _spellings = [];
    private bool _loaded;
    private bool _tooLarge;

    /// <summary>
    /// The spellings containing <paramref name="upperValue"/> (and <see cref="SubjectWords.LongWord"/>), or null when
    /// the mirror has given up (the caller reads the vocabulary). Reader, inside the read gate: the writer only adds
    /// under the write gate, so the list holds still while it is read.
    /// </summary>
    public List<string>? Containing(MailDatabase database, string upperValue)
    {
        if (!Load(database))
        {
            return null;
        }

        var found = new List<string>();
        foreach (var spelling in _spellings)
        {
            if (spelling == SubjectWords.LongWord || spelling.Contains(upperValue, StringComparison.Ordinal))
            {
                found.Add(spelling);
            }
        }

        return found;
    }

    /// <summary>Writer, after the commit of the batch that recorded <paramref name="words"/>, inside the write gate.</summary>
    public void Committed(List<string> words)
    {
        lock (_lock)
        {
            if (!_loaded)
            {
                // Not loaded yet: the first search reads the vocabulary with these words in it.
                return;
            }

            foreach (var word in words)
            {
                Add(word);
            }
        }
    }

    /// <summary>The engine (re)opened: its vocabulary is read again at the next search.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _known.Clear();
            _spellings.Clear();
            _loaded = false;
            _tooLarge = false;
        }
    }

    private bool Load(MailDatabase database)
    {
        lock (_lock)
        {
            if (_loaded || _tooLarge)
            {
                return _loaded;
            }

            foreach (var doc in database.SubjectWords.FindAll())
            {
                var id = doc["_id"].AsString;
                if (id is not (SubjectWords.CompleteMarker or SubjectWords.AliasMarker))
                {
                    Add(id);
                }

                if (doc.TryGetValue(SubjectWords.AliasesField, out var aliases) && aliases.IsArray)
                {
                    foreach (var alias in aliases.AsArray)
                    {
                        Add(alias.AsString);
                    }
                }

                if (_tooLarge)
                {
                    return false;
                }
            }

            _loaded = true;
            return true;
        }
    }

    private void Add(string spelling)
    {
        if (_tooLarge)
        {
            return;
        }

        if (_spellings.Count >= capacity)
        {
            _known.Clear();
            _spellings.Clear();
            _loaded = false;
            _tooLarge = true;
            return;
        }

        if (_known.Add(spelling))
        {
            _spellings.Add(spelling);
        }
    }
}
