using System.Net;
using System.Text;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Smtp.Strict;

/// <summary>Runs "line => code [enhanced code]" steps over a raw socket, and hands out a loopback address per test.</summary>
internal static class StrictSteps
{
    private static int _nextAddress;

    public static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// A loopback address no other test connects from: the lockout counts per client address, so a test that
    /// fails credentials must not lock out its neighbours.
    /// </summary>
    public static IPAddress FreshAddress()
    {
        var n = Interlocked.Increment(ref _nextAddress);
        return IPAddress.Parse($"127.0.{1 + (n / 250)}.{1 + (n % 250)}");
    }

    public static async Task RunAsync(RawSmtpClient client, string name, IEnumerable<string> steps)
    {
        foreach (var step in steps)
        {
            var split = step.IndexOf(" => ", StringComparison.Ordinal);
            var (line, expected) = (step[..split], step[(split + 4)..]);
            var reply = await client.CommandAsync(line);
            var expectedParts = expected.Split(' ');
            var actual = expectedParts.Length == 1 ? $"{reply.Code}" : $"{reply.Code} {reply.Lines[^1].Split(' ')[0]}";
            Assert.True(expected == actual, $"{name}: '{line}' expected {expected}, got {reply}");
        }
    }
}
