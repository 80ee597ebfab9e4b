using LiteDB;
using MailSink.Search;

namespace MailSink.Storage;

/// <summary>
/// An inverted index of decoded-subject words, so <c>subject:word</c> reads the messages that can match instead of
/// scanning every summary (15 s at a million messages). Each message document carries its subject's words
/// (<see cref="Field"/>, a multi-key LiteDB index) and every word ever seen is a document of
/// <see cref="Collection"/>, both written by the single writer in the message's transaction.
/// Subject terms are substrings, not words: a value made only of word characters can only match inside one word
/// of the subject, so the candidates are the messages of every known word containing it; the query's own
/// predicate still decides, so the index never changes what matches, it only skips what cannot.
/// </summary>
internal static class SubjectWords
{
    public const string Collection = "subject_words";
    public const string Field = "x_sw";
    public const string Expression = "$.x_sw[*]";

    /// <summary>Present when every message of the file carries its words (files made before the index lack them).</summary>
    public const string CompleteMarker = "\u0000complete";

    /// <summary>
    /// Present when every word of the file is in the vocabulary as spelled, under <see cref="AliasesField"/> when it is
    /// not the entry's own id. LiteDB compares strings with its culture collation, ignoring case, so an id lookup
    /// finds a word that is equal there but not ordinally ("KELVIN" and "\u212AELVIN" with the Kelvin sign): files
    /// made before kept only the first spelling, and a search for the other found none of its messages. Those files
    /// scan (<see cref="IsComplete"/>).
    /// </summary>
    public const string AliasMarker = "\u0000aliases";

    /// <summary>The spellings recorded under a vocabulary entry that LiteDB's collation takes for its id.</summary>
    public const string AliasesField = "also";

    /// <summary>Stands for any word longer than <see cref="MaxChars"/> (index keys are limited): always a candidate.</summary>
    public const string LongWord = "\u0001";

    private const int MaxChars = 100;

    /// <summary>
    /// Letters and digits, plus any char whose upper case is one (case-insensitive matching compares upper cases)
    /// and surrogates, so a match of a word-char-only value can never straddle two words.
    /// </summary>
    public static bool IsWordChar(char c) =>
        char.IsLetterOrDigit(c) || char.IsSurrogate(c) || char.IsLetterOrDigit(char.ToUpperInvariant(c));

    /// <summary>The subject's distinct words, upper-cased (invariant), as stored in <see cref="Field"/>.</summary>
    public static BsonArray Of(string subject)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        var start = -1;
        for (var i = 0; i <= subject.Length; i++)
        {
            if (i < subject.Length && IsWordChar(subject[i]))
            {
                start = start < 0 ? i : start;
                continue;
            }

            if (start >= 0)
            {
                words.Add(i - start > MaxChars ? LongWord : subject[start..i].ToUpperInvariant());
                start = -1;
            }
        }

        return new BsonArray(words.Select(w => new BsonValue(w)));
    }

    /// <summary>
    /// The upper-cased runs of word characters in the positive <c>subject:</c> terms, distinct, longest first. A run
    /// can only match inside one word of the subject, and every positive term must match, so the messages of the
    /// words containing any one run are candidates for the whole query: <c>subject:"latency-40"</c> can read the
    /// messages of LATENCY or those of the words containing 40, and the search reads whichever are fewer
    /// (<see cref="FewestCandidates"/>); the query's predicate then checks each whole value.
    /// </summary>
    public static IReadOnlyList<string> IndexableRuns(SearchQuery query)
    {
        var runs = new List<string>();
        foreach (var term in query.Terms)
        {
            if (term is not { Field: SearchField.Subject, Negated: false, Value.Length: > 0 })
            {
                continue;
            }

            for (int i = 0, start = 0; i <= term.Value.Length; i++)
            {
                if (i < term.Value.Length && IsWordChar(term.Value[i]))
                {
                    continue;
                }

                if (i > start && i - start <= MaxChars)
                {
                    var run = term.Value[start..i].ToUpperInvariant();
                    if (!runs.Contains(run, StringComparer.Ordinal))
                    {
                        runs.Add(run);
                    }
                }

                start = i + 1;
            }
        }

        return [.. runs.OrderByDescending(run => run.Length)];
    }

    /// <summary>
    /// Adds the words not known yet (writer only, inside the message's transaction). A word the collation takes for
    /// a known one of another spelling is recorded under it (<see cref="AliasMarker"/>); it is rare, so the common
    /// case stays one id lookup per word.
    /// </summary>
    /// <summary>
    /// <see cref="Record(MailDatabase, BsonArray)"/> for the words not recorded yet as far as this engine knows: every
    /// subject word of every message was a lookup in the vocabulary (~5 a message, a large share of the writer's
    /// allocations). The words are known once their transaction has committed (<see cref="KnownWords"/>).
    /// </summary>
    public static void Record(WriteContext context, BsonArray words)
    {
        var known = context.Database.KnownSubjectWords;
        foreach (var word in words)
        {
            if (!known.Contains(word.AsString))
            {
                Record(context.Database, [word]);
                context.RecordedSubjectWords.Add(word.AsString);
            }
        }
    }

    public static void Record(MailDatabase database, BsonArray words)
    {
        foreach (var word in words)
        {
            if (database.SubjectWords.FindById(word) is not { } known)
            {
                database.SubjectWords.Insert(new BsonDocument { ["_id"] = word });
                continue;
            }

            if (string.Equals(known["_id"].AsString, word.AsString, StringComparison.Ordinal))
            {
                continue;
            }

            var aliases = known.TryGetValue(AliasesField, out var list) && list.IsArray ? list.AsArray : [];
            if (!aliases.Any(a => string.Equals(a.AsString, word.AsString, StringComparison.Ordinal)))
            {
                aliases.Add(word);
                known[AliasesField] = aliases;
                database.SubjectWords.Update(known);
            }
        }
    }

    /// <summary>
    /// The words of which a spelling contains <paramref name="upperValue"/>, plus <see cref="LongWord"/>: from the
    /// mirror in memory (<see cref="VocabularyMirror"/>), or read from the vocabulary when it has given up. Looking a
    /// word up in the index gives the messages of all its spellings (the index compares as the id does).
    /// </summary>
    public static List<string> Containing(MailDatabase database, string upperValue) =>
        database.Vocabulary.Containing(database, upperValue) ?? ReadContaining(database, upperValue);

    private static List<string> ReadContaining(MailDatabase database, string upperValue)
    {
        var entries = new List<string>();
        foreach (var doc in database.SubjectWords.FindAll())
        {
            var id = doc["_id"].AsString;
            if (id is CompleteMarker or AliasMarker)
            {
                continue;
            }

            if (id == LongWord || id.Contains(upperValue, StringComparison.Ordinal)
                || (doc.TryGetValue(AliasesField, out var aliases) && aliases.IsArray
                    && aliases.AsArray.Any(a => a.AsString.Contains(upperValue, StringComparison.Ordinal))))
            {
                entries.Add(id);
            }
        }

        return entries;
    }

    /// <summary>True when every message carries its words and every spelling is known, so the index may answer.</summary>
    public static bool IsComplete(MailDatabase database) =>
        database.SubjectWords.FindById(CompleteMarker) is not null && database.SubjectWords.FindById(AliasMarker) is not null;
}
