using MailSink.Domain;

namespace MailSink.Storage;

/// <summary>
/// What one batch transaction changed: count deltas to apply, and events to publish, only
/// once the batch has committed. Used on the writer thread only.
/// </summary>
internal sealed class WriteContext(MailDatabase database, TimeProvider timeProvider)
{
    public MailDatabase Database => database;

    public TimeProvider TimeProvider => timeProvider;

    public int TotalDelta { get; set; }

    public int UnreadDelta { get; set; }

    /// <summary>Sessions added less sessions deleted.</summary>
    public int SessionsDelta { get; set; }

    /// <summary>Set when deltas cannot describe the change (delete all): counts are re-read after commit.</summary>
    public bool Recount { get; set; }

    /// <summary>Set by a delete-all: once committed, the writer gives the freed disk and memory back.</summary>
    public bool Compact { get; set; }

    /// <summary>Time parts of the sort keys of messages added by the batch (for <see cref="SortKeyRanks"/>).</summary>
    public List<long> AddedTicks { get; } = [];

    /// <summary>Subject words this batch made sure are in the vocabulary (see <see cref="KnownWords"/>).</summary>
    public List<string> RecordedSubjectWords { get; } = [];

    /// <summary>Time parts of the sort keys of messages removed by the batch.</summary>
    public List<long> RemovedTicks { get; } = [];

    /// <summary>Raw files the batch's messages reference (<see cref="LargeRaws"/>): registered once it has committed.</summary>
    public List<(string Id, long Length, byte[]? Kept)> FilesAdded { get; } = [];

    /// <summary>Ids whose raw files the batch no longer references: deleted once it has committed.</summary>
    public List<string> FilesRemoved { get; } = [];

    public void Reset()
    {
        FilesAdded.Clear();
        FilesRemoved.Clear();
        TotalDelta = 0;
        UnreadDelta = 0;
        SessionsDelta = 0;
        Recount = false;
        Compact = false;
        AddedTicks.Clear();
        RecordedSubjectWords.Clear();
        RemovedTicks.Clear();
    }
}
