using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace MailSink.Tests.TestHost;

/// <summary>Helpers for TLS tests: the fingerprint as MailSink prints it, a session found by the client's port, reading to EOF.</summary>
public static class TlsSessions
{
    /// <summary>SHA-256 as colon-separated hex pairs (openssl's form), computed here from what the client saw.</summary>
    public static string Fingerprint(X509Certificate certificate) =>
        string.Join(':', Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)).Chunk(2).Select(p => new string(p)));

    /// <summary>Waits until the session the client on <paramref name="clientPort"/> opened is saved with a final outcome.</summary>
    public static Task<JsonNode> WaitForSessionFromAsync(MailSinkApp app, int clientPort) => MailSinkApp.WaitUntilAsync(async () =>
    {
        var page = await app.GetJsonAsync("/api/v1/sessions?limit=1000");
        foreach (var summary in page["sessions"]!.AsArray())
        {
            if (summary!["Outcome"]!.GetValue<string>() == "open")
            {
                continue;
            }

            var session = await app.GetJsonAsync($"/api/v1/session/{summary["ID"]!.GetValue<string>()}");
            if (session["ClientPort"]!.GetValue<int>() == clientPort)
            {
                return session;
            }
        }

        return null;
    }, $"the session from client port {clientPort}");

    public static List<string> Texts(JsonNode session) =>
        session["Lines"]!.AsArray().Select(l => l!["Text"]!.GetValue<string>()).ToList();

    /// <summary>Reads until the server closes the connection; fails when it has not within <paramref name="deadline"/>.</summary>
    public static async Task<byte[]> ReadUntilClosedAsync(NetworkStream stream, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        using var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    return received.ToArray();
                }

                await received.WriteAsync(buffer.AsMemory(0, read));
            }
        }
        catch (IOException)
        {
            // A reset is a close too.
            return received.ToArray();
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The server had not closed the connection after {deadline}.");
            throw;
        }
    }
}
