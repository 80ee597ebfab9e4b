using System.Reflection;
using MailSink.Storage;
using Microsoft.Extensions.Logging;

namespace MailSink.Tests.Hosting;

/// <summary>
/// Every log message of the server has an event id of its own: log filters and alerts select by id, and two
/// messages sharing one (as the first-page read and the orphan-file sweep once did, 3019) would be taken for each other.
/// </summary>
public sealed class LogEventIdTests
{
    [Fact]
    public void No_two_log_messages_share_an_event_id()
    {
        var messages = typeof(LiteDbMailStore).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Attribute is not null)
            .ToList();
        Assert.True(messages.Count > 50, $"only {messages.Count} log messages found");

        var shared = messages
            .GroupBy(m => m.Attribute!.EventId)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => $"{m.Method.DeclaringType!.FullName}.{m.Method.Name}"))}")
            .ToList();
        Assert.True(shared.Count == 0, "event ids used twice:\n" + string.Join("\n", shared));
    }
}
