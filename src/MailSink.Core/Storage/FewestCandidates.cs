using LiteDB;

namespace MailSink.Storage;

/// <summary>
/// Reads the candidates of a <c>subject:</c> search: the messages of the words containing one run of the query
/// (<see cref="SubjectWords.IndexableRuns"/>). With several runs it reads them all in turn, <see cref="Step"/>
/// documents at a time, and keeps the first run to finish: the one with the fewest messages, found for at most
/// <see cref="MaxRuns"/> times its own reads. Nothing tells how many messages a word has without reading them,
/// and the longest run is often the most common one: a wait for <c>subject:"latency-40"</c> read every message
/// of LATENCY (7,500 in the latency bench, 20 ms) when the words containing 40 had a few hundred.
/// </summary>
internal static class FewestCandidates
{
    /// <summary>The longest runs raced; a phrase of common words costs at most this many times one run's reads.</summary>
    public const int MaxRuns = 3;

    private const int Step = 64;

    /// <summary>A word's query counted as this many messages read: a run of many words with a message or two each
    /// (every number containing 4) costs its queries, and the race must not let it run on for free.</summary>
    private const int QueryCost = 4;

    /// <summary>
    /// Hands each candidate, read with <paramref name="projection"/> (whole documents when null), to
    /// <paramref name="take"/> once. With one run they are handed over as they are read, so the caller can keep only
    /// what it needs of each (at a million messages, 27,091 candidates kept whole until the end made the GC's work as
    /// large as the search's). The caller holds the read gate; with one run, it is let go between two words.
    /// </summary>
    public static void Read(
        MailDatabase database, IReadOnlyList<string> runs, BsonExpression? projection, Action<BsonDocument> take, CancellationToken cancellationToken)
    {
        if (runs.Count == 1)
        {
            var words = SubjectWords.Containing(database, runs[0]);
            var all = new Run(database, words, projection, yieldBetweenWords: true, take);
            while (!all.Advance(int.MaxValue, cancellationToken))
            {
            }

            return;
        }

        var wordsOfRuns = runs.Take(MaxRuns).Select(run => SubjectWords.Containing(database, run)).ToList();

        // Up to one open cursor per run. LiteDB gives each query outside an explicit transaction a read-only one of its
        // own, and they all see the same data: no step out of the gate during the race, so no writer commits under it.
        // Each run keeps what it read until one finishes: only the winner's are handed over.
        var collected = wordsOfRuns.Select(_ => new List<BsonDocument>()).ToList();
        var racing = wordsOfRuns.Select((words, i) => new Run(database, words, projection, yieldBetweenWords: false, collected[i].Add)).ToList();
        try
        {
            while (true)
            {
                for (var i = 0; i < racing.Count; i++)
                {
                    if (racing[i].Advance(Step, cancellationToken))
                    {
                        collected[i].ForEach(take);
                        return;
                    }
                }
            }
        }
        finally
        {
            foreach (var run in racing)
            {
                run.Dispose();
            }
        }
    }

    /// <summary>The messages of one run's words, read lazily word after word, each message once.</summary>
    private sealed class Run(MailDatabase database, List<string> words, BsonExpression? projection, bool yieldBetweenWords, Action<BsonDocument> take)
        : IDisposable
    {
        private readonly HashSet<string>? _seen = words.Count > 1 ? new HashSet<string>(StringComparer.Ordinal) : null;
        private int _word = -1;
        private IEnumerator<BsonDocument>? _cursor;

        /// <summary>Reads up to <paramref name="count"/> more messages; true once every word has been read.</summary>
        public bool Advance(int count, CancellationToken cancellationToken)
        {
            for (var read = 0; read < count;)
            {
                if (_cursor is null || !_cursor.MoveNext())
                {
                    _cursor?.Dispose();
                    _cursor = null;
                    if (++_word == words.Count)
                    {
                        return true;
                    }

                    cancellationToken.ThrowIfCancellationRequested();
                    if (yieldBetweenWords)
                    {
                        // Each word is its own read: a writer waiting for the gate commits between two.
                        database.Gate.YieldRead();
                    }

                    _cursor = Query(words[_word]).GetEnumerator();
                    read += QueryCost;
                    continue;
                }

                var doc = _cursor.Current;
                if (_seen is null || _seen.Add(doc["_id"].AsString))
                {
                    take(doc);
                }

                read++;
            }

            return false;
        }

        public void Dispose() => _cursor?.Dispose();

        // A word's entries cannot be cut into ranges (the index key is the word alone): one query per word.
        private IEnumerable<BsonDocument> Query(string word)
        {
            var byWord = database.Messages.Query().Where(BsonExpression.Create($"{SubjectWords.Expression} ANY = @0", new BsonValue(word)));
            return projection is null ? byWord.ToDocuments() : byWord.Select(projection).ToDocuments();
        }
    }
}
