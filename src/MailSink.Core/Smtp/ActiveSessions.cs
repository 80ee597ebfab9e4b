using System.Collections.Concurrent;
using MailSink.Domain;

namespace MailSink.Smtp;

/// <summary>Sessions still connected, so the API can show a transcript before the session ends.</summary>
internal sealed class ActiveSessions
{
    private readonly ConcurrentDictionary<string, SessionRecorder> _sessions = new();

    public int Count => _sessions.Count;

    public void Add(SessionRecorder recorder) => _sessions[recorder.SessionId] = recorder;

    public void Remove(string sessionId) => _sessions.TryRemove(sessionId, out _);

    public SessionRecord? TryGet(string sessionId) =>
        _sessions.TryGetValue(sessionId, out var recorder) ? recorder.Copy() : null;

    public IReadOnlyList<SessionRecorder> All() => _sessions.Values.ToList();
}
