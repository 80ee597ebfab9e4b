using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace MailSink.EndToEnd.Docker;

/// <summary>
/// Picks ports for a container on the host network: nothing else may be listening on them.
/// </summary>
public static class FreePorts
{
    /// <summary>An unused port from the kernel's ephemeral range.</summary>
    public static int Ephemeral(ISet<int> taken)
    {
        for (var i = 0; i < 50; i++)
        {
            var listener = new TcpListener(IPAddress.Any, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            if (taken.Add(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException("no free ephemeral port");
    }

    /// <summary>
    /// <paramref name="preferred"/> when nothing listens there, else the first free port from 600 to 1023: a
    /// privileged port either way, so the test proves a non-root container can bind below 1024.
    /// </summary>
    public static int Privileged(int preferred, ISet<int> taken)
    {
        var listening = IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners().Select(e => e.Port).ToHashSet();
        foreach (var port in new[] { preferred }.Concat(Enumerable.Range(600, 424)))
        {
            if (!listening.Contains(port) && taken.Add(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException("no free port below 1024");
    }
}
