using System.Net.Sockets;
using System.Text;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Api;

/// <summary>
/// Literal "../" and "..\" in part URLs, sent byte for byte to the real process (HTTP clients and the in-process
/// test server would resolve or keep them differently than Kestrel does): the answer is a 400 or 404, or at
/// most the inbox page for a path that climbed out of /api, and never a file from disk.
/// </summary>
public sealed class DotSegmentTraversalTests() : ProcessInTempFolder("mailsink-dots-")
{
    [Fact]
    public async Task Dot_segments_in_a_part_url_never_return_a_file()
    {
        var id = await RawSmtpClient.DeliverAsync(Sink.SmtpPort, Encoding.ASCII.GetBytes("From: a@example.test\r\nTo: b@example.test\r\nSubject: dots\r\n\r\nbody\r\n"));
        string[] targets =
        [
            $"/api/v1/message/{id}/part/../../../../etc/passwd",
            $"/api/v1/message/{id}/part/../../../../../../../../etc/passwd",
            $"/api/v1/message/{id}/part/..\\..\\..\\..\\etc\\passwd",
            $"/api/v1/message/{id}/part/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
            $"/api/v1/message/{id}/part/....//....//....//etc/passwd",
            "/../../../../etc/passwd",
            "/assets/../../../../../etc/passwd",
            "/assets/..%2f..%2f..%2f..%2fetc%2fpasswd",
        ];

        foreach (var target in targets)
        {
            var (status, head, body) = await GetRawAsync(target);

            Assert.DoesNotContain("root:", body);
            var isInboxPage = status == 200 && head.Contains("text/html", StringComparison.OrdinalIgnoreCase);
            Assert.True(status is 400 or 404 || isInboxPage, $"GET {target}: {status}{Environment.NewLine}{head}{body}");
        }
    }

    /// <summary>One HTTP/1.1 GET with the request target exactly as given.</summary>
    private async Task<(int Status, string Head, string Body)> GetRawAsync(string target)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", Sink.BaseUrl.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        var split = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = split < 0 ? response : response[..split];
        var status = int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, head, split < 0 ? "" : response[(split + 4)..]);
    }
}
