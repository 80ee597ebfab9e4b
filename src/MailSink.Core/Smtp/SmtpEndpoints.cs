using System.Net;

namespace MailSink.Smtp;

/// <summary>The SMTP endpoints actually bound (ports resolved when 0 was asked), for /info, logs and tests.</summary>
internal sealed class SmtpEndpoints
{
    private IReadOnlyList<(string Name, IPEndPoint EndPoint, string Tls)> _endpoints = [];

    public IReadOnlyList<(string Name, IPEndPoint EndPoint, string Tls)> All => _endpoints;

    /// <summary>Enabled listeners that could not bind (a port in use, or below 1024 without privileges).</summary>
    public IReadOnlyList<ListenerBindFailure> Failed { get; private set; } = [];

    /// <summary>The port of a listener by name (smtp, submission, smtps), or null when it is not bound.</summary>
    public int? PortOf(string name) => _endpoints.FirstOrDefault(e => e.Name == name).EndPoint?.Port;

    internal void Set(IReadOnlyList<BoundListener> bound, IReadOnlyList<ListenerBindFailure> failed)
    {
        _endpoints = bound.Select(b => (b.Name, b.EndPoint, b.Options.Tls.ToString())).ToList();
        Failed = failed;
    }
}
