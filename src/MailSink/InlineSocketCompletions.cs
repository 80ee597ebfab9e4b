using System.Reflection;

namespace MailSink;

/// <summary>
/// Runs socket completions on the runtime's socket event threads, one per core, instead of queueing each to the thread
/// pool. An SMTP message is a dozen socket reads and writes; each queued completion woke a pool thread and left it
/// spinning for more work, and under peer-bench's load context switches and that spinning were ~15% of MailSink's
/// samples (issue 12 profile). With them inline: 50 sessions 2,650 against 2,232 msg/s and 521 against 614 µs of CPU
/// a message, 8 sessions 662 against 701 µs (README, Performance). It is safe here because the code a completion runs
/// is async all the way: the SMTP session parses and awaits the writer, Kestrel hands requests to its own scheduler,
/// and a message of 64 KB or more is parsed on the thread pool (Smtp/SinkMessageStore.cs), so a large one does not
/// hold up the other connections of its event thread (bench/event-thread-stall.py).
/// <para>
/// The runtime has no API for it, only an environment variable it reads once, when the first socket is made, so it is
/// set in this process's environment before that. A value the environment already has wins (<c>0</c> turns it off), and
/// a process that only hosts MailSink (a test's WebApplicationFactory) is left as it is: its sockets are not ours.
/// </para>
/// </summary>
internal static class InlineSocketCompletions
{
    internal const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static void EnableUnlessChosen()
    {
        if (Assembly.GetEntryAssembly() == typeof(InlineSocketCompletions).Assembly && Environment.GetEnvironmentVariable(Variable) is null)
        {
            Environment.SetEnvironmentVariable(Variable, "1");
        }
    }
}
