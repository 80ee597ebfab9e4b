using System.Globalization;
using DotNet.Testcontainers.Containers;
using MailSink.Client;

namespace Testcontainers.MailSink;

/// <summary>A running MailSink container: where to send mail, where its API is, and a client for it.</summary>
public sealed class MailSinkContainer : DockerContainer
{
    private readonly MailSinkConfiguration _configuration;

    /// <summary>Creates the container; use <see cref="MailSinkBuilder"/>.</summary>
    /// <param name="configuration">The container configuration.</param>
    public MailSinkContainer(MailSinkConfiguration configuration)
        : base(configuration)
    {
        _configuration = configuration;
    }

    /// <summary>
    /// The host to send mail to: the engine's host name, or 127.0.0.1 with <see cref="MailSinkBuilder.WithHostNetwork"/>
    /// (MailSink is bound to loopback there).
    /// </summary>
    public string GetSmtpHost() => _configuration.UsesHostNetwork ? "127.0.0.1" : Hostname;

    /// <summary>The host port of MailSink's plain SMTP listener (no TLS, no authentication required).</summary>
    public int GetSmtpPort() =>
        _configuration.HostNetworkSmtpPort ?? GetMappedPublicPort(MailSinkBuilder.SmtpPort);

    /// <summary>The address of the HTTP API and web inbox, e.g. <c>http://127.0.0.1:32768/</c>.</summary>
    public Uri GetApiAddress()
    {
        var port = _configuration.HostNetworkHttpPort ?? GetMappedPublicPort(MailSinkBuilder.HttpPort);
        return new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{GetSmtpHost()}:{port}/"));
    }

    /// <summary>The SMTP address as a connection string, <c>smtp://host:port</c>.</summary>
    public string GetConnectionString() =>
        string.Create(CultureInfo.InvariantCulture, $"smtp://{GetSmtpHost()}:{GetSmtpPort()}");

    /// <summary>A new client for this container's API; the caller disposes it.</summary>
    public MailSinkClient GetClient() => new(GetApiAddress());
}
