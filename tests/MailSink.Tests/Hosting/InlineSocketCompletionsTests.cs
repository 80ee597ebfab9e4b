using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Hosting;

/// <summary>
/// The MailSink process runs socket completions on the runtime's socket event threads (src/MailSink/InlineSocketCompletions.cs),
/// seen from outside the process: with them inline the runtime starts one ".NET Sockets" event thread per core, by
/// default one in all. Mail and the API still flow through them, and a value already in the environment wins.
/// </summary>
public sealed class InlineSocketCompletionsTests : IDisposable
{
    private const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mailsink-inline-" + Guid.NewGuid().ToString("N"));

    public InlineSocketCompletionsTests()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "a"));
        Directory.CreateDirectory(Path.Combine(_folder, "b"));
    }

    [MultiCoreFact]
    public async Task The_server_runs_one_socket_event_thread_per_core_and_still_takes_mail_and_answers_the_api()
    {
        await using var sink = await MailSinkProcess.StartAsync(Path.Combine(_folder, "a", "mailsink.db"), null, new Dictionary<string, string?> { [Variable] = null });

        var id = await RawSmtpClient.DeliverAsync(sink.SmtpPort, Encoding.ASCII.GetBytes("From: a@example.test\r\nTo: b@example.test\r\nSubject: inline\r\n\r\nbody\r\n"));
        var list = await sink.Http.GetFromJsonAsync<JsonObject>("api/v1/messages");

        Assert.Equal(id, list!["messages"]![0]!["ID"]!.GetValue<string>());
        Assert.Equal(Environment.ProcessorCount, SocketEventThreads(sink.ProcessId));
    }

    [MultiCoreFact]
    public async Task A_value_already_in_the_environment_wins()
    {
        await using var sink = await MailSinkProcess.StartAsync(Path.Combine(_folder, "b", "mailsink.db"), null, new Dictionary<string, string?> { [Variable] = "0" });

        Assert.Equal(1, SocketEventThreads(sink.ProcessId));
    }

    public void Dispose() => MailSinkApp.DeleteFolder(_folder);

    private static int SocketEventThreads(int processId) =>
        Directory.GetDirectories($"/proc/{processId}/task")
            .Count(task => File.ReadAllText(Path.Combine(task, "comm")).Trim() == ".NET Sockets");
}
