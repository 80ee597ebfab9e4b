using System.Net;
using System.Net.Sockets;
using MailSink.Options;

namespace MailSink.Smtp;

/// <summary>A socket MailSink bound for one SMTP listener on one address.</summary>
internal sealed record BoundListener(string Name, ListenerOptions Options, TcpListener Socket)
{
    public IPEndPoint EndPoint => (IPEndPoint)Socket.LocalEndpoint;
}
