using System.Collections.Concurrent;

namespace MailSink.Storage;

/// <summary>
/// The memory store's large messages (<see cref="LargeRaws"/>): the array the SMTP layer built for the message,
/// kept as it is when handed over, so storing a 25 MB message adds no copy of it and a view reads it in place. Kept
/// uncompressed: compressing would add a second copy at ingest and a decompressed one at every view, which is what
/// put the memory store at 7x the message while sending and 11x while viewing.
/// </summary>
internal sealed class RawArrays : LargeRaws
{
    private readonly ConcurrentDictionary<string, byte[]> _arrays = new(StringComparer.Ordinal);

    /// <summary>Nothing is kept before the commit: a write that never commits (a cancelled wait) leaves nothing behind.</summary>
    public override Task<byte[]?> WriteAsync(string id, ReadOnlyMemory<byte> raw, byte[]? owned, CancellationToken cancellationToken) =>
        Task.FromResult<byte[]?>(owned ?? raw.ToArray());

    protected override void Keep(string id, byte[]? kept)
    {
        if (kept is not null)
        {
            _arrays[id] = kept;
        }
    }

    public override Stream? Open(string id) =>
        _arrays.TryGetValue(id, out var bytes) ? new MemoryStream(bytes, writable: false) : null;

    protected override void Drop(string id) => _arrays.TryRemove(id, out _);
}
