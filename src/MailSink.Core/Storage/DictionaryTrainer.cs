using LiteDB;
using Microsoft.Extensions.Logging;
using ZstdSharp;

namespace MailSink.Storage;

/// <summary>
/// Trains the store's zstd dictionaries (<see cref="CompressionDictionaries"/>) once it holds
/// <see cref="Threshold"/> messages: samples the newest messages and their summaries' view fields in short gated
/// reads, trains off the writer (about 0.3 s of CPU on a pool thread for each dictionary), then stores both in a
/// transaction of their own; the writer compresses with them from then on. A training that fails (samples too
/// alike or too few for zstd) is tried again after another <see cref="Threshold"/> messages.
/// </summary>
internal sealed partial class DictionaryTrainer(MailDatabase database, StoreCounters counters, MessageWriteQueue writes, ILogger logger)
{
    /// <summary>
    /// Messages in the store before the first training. zstd wants about a hundred times the dictionary in samples
    /// (2,000 messages would do); a store this size is where the file starts to matter, and a training (~0.7 s of CPU
    /// with the sampling) spread over 5,000 messages adds ~0.14 ms to each, against ~20 µs each saves in compression.
    /// </summary>
    public const int DefaultThreshold = 5_000;

    /// <summary>Messages in the store before the first training (tests make it small).</summary>
    public int Threshold
    {
        get => _threshold;
        set
        {
            _threshold = value;
            Volatile.Write(ref _nextAttemptAt, value);
        }
    }

    /// <summary>
    /// The newest messages sampled: zstd wants about a hundred times the dictionary's size in samples, and training
    /// holds several times the samples in memory for a moment (2,000 messages and two 64 KB dictionaries left the
    /// server 54 MB larger).
    /// </summary>
    public const int Samples = 1_000;

    /// <summary>A dictionary's size: 16 to 112 KB measured within 2% of each other at 100,000 messages.</summary>
    public const int DictionarySize = 32 * 1024;

    /// <summary>The first bytes of a message are what messages share (headers, the template's start).</summary>
    private const int MaxSampleBytes = 8 * 1024;

    private const int ReadChunk = 200;

    private int _running;
    private int _threshold = DefaultThreshold;
    private int _nextAttemptAt = DefaultThreshold;

    /// <summary>Completes when the training started last has ended (tests).</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Starts a training when one is due; cheap otherwise (called for every stored message).</summary>
    public void MaybeStart()
    {
        var dictionaries = database.Documents.Dictionaries;
        if ((dictionaries.Raw is not null && dictionaries.View is not null)
            || counters.Total < Volatile.Read(ref _nextAttemptAt)
            || Interlocked.CompareExchange(ref _running, 1, 0) != 0)
        {
            return;
        }

        Completion = Task.Run(TrainAsync);
    }

    private async Task TrainAsync()
    {
        try
        {
            var (raws, views) = ReadSamples();
            var dictionaries = database.Documents.Dictionaries;
            var trained = new List<(string Kind, byte[] Bytes, int Samples)>();
            if (dictionaries.Raw is null && Train(raws) is { } raw)
            {
                trained.Add((CompressionDictionaries.Entry.RawKind, raw, raws.Count));
            }

            // Summaries written before the packed view (older files) have no view to sample: the raw one is trained
            // alone then, and the view's waits for newer mail.
            if (dictionaries.View is null && Train(views) is { } view)
            {
                trained.Add((CompressionDictionaries.Entry.ViewKind, view, views.Count));
            }

            raws.Clear();
            views.Clear();
            MemoryGiveBack.Now();
            if (dictionaries.Raw is null || dictionaries.View is null)
            {
                Volatile.Write(ref _nextAttemptAt, counters.Total + Threshold);
            }

            if (trained.Count == 0)
            {
                return;
            }

            // Alone in its transaction: if the commit fails, the rollback reloads the dictionaries from the file and
            // no message has named one that is not there.
            var entries = await writes.EnqueueAloneAsync(
                (context, _) =>
                {
                    var db = context.Database.Db;
                    var id = CompressionDictionaries.NextId(db);
                    var made = trained.Select((t, i) => new CompressionDictionaries.Entry(id + i, t.Kind, t.Bytes)).ToList();
                    foreach (var entry in made)
                    {
                        CompressionDictionaries.Insert(db, entry);
                        context.Database.Documents.Dictionaries.Use(entry);
                    }

                    return made;
                },
                WriteCost.Grows(trained.Sum(t => t.Bytes.Length)),
                CancellationToken.None).ConfigureAwait(false);
            for (var i = 0; i < entries.Count; i++)
            {
                Log.Trained(logger, entries[i].Kind, entries[i].Id, trained[i].Samples);
            }
        }
        catch (Exception ex) when (ex is LiteException or IOException or ObjectDisposedException or StoreUnavailableException or ZstdException or InvalidDataException)
        {
            // The store keeps compressing without a dictionary; another attempt comes later.
            Log.TrainingFailed(logger, ex);
            Volatile.Write(ref _nextAttemptAt, counters.Total + Threshold);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>The newest messages' first bytes and their summaries' view fields, read a few at a time.</summary>
    private (List<byte[]> Raws, List<byte[]> Views) ReadSamples()
    {
        List<string> ids;
        using (database.Gate.Read())
        {
            ids = database.Messages.Query().OrderByDescending($"$.{StoreKeys.SortKey}").Select("$._id").Limit(Samples)
                .ToDocuments().Select(d => d["_id"].AsString).ToList();
        }

        var raws = new List<byte[]>(ids.Count);
        var views = new List<byte[]>(ids.Count);
        foreach (var chunk in ids.Chunk(ReadChunk))
        {
            using var shared = database.Gate.Read();
            foreach (var id in chunk)
            {
                if (RawChunks.Open(database.Raw, id, database.Documents.Dictionaries, database.Files) is { } stream)
                {
                    // A message in a file gives its first bytes, not its whole (tens of MB) read into memory.
                    using (stream)
                    {
                        var sample = new byte[Math.Min(stream.Length, MaxSampleBytes)];
                        stream.ReadExactly(sample);
                        raws.Add(sample);
                    }
                }

                if (database.Messages.FindById(id) is { } doc && database.Documents.ViewBytes(doc) is { } view)
                {
                    views.Add(view.Length > MaxSampleBytes ? view[..MaxSampleBytes] : view);
                }
            }
        }

        return (raws, views);
    }

    /// <summary>Fewer samples than this train nothing worth having (and zstd refuses very few).</summary>
    private const int MinSamples = 100;

    private byte[]? Train(List<byte[]> samples)
    {
        if (samples.Count < MinSamples)
        {
            return null;
        }

        try
        {
            return DictBuilder.TrainFromBuffer(samples, DictionarySize).ToArray();
        }
        catch (ZstdException ex)
        {
            Log.TrainingFailed(logger, ex);
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(3020, LogLevel.Information, "Storage trained zstd dictionary {Id} for {Kind} from {Samples} samples; new mail is compressed with it")]
        public static partial void Trained(ILogger logger, string kind, int id, int samples);

        [LoggerMessage(3021, LogLevel.Warning, "Storage could not train its zstd dictionaries; it keeps compressing without and tries again later")]
        public static partial void TrainingFailed(ILogger logger, Exception exception);
    }
}
