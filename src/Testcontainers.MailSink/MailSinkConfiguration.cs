using Docker.DotNet.Models;
using DotNet.Testcontainers.Configurations;

namespace Testcontainers.MailSink;

/// <inheritdoc cref="ContainerConfiguration" />
public sealed class MailSinkConfiguration : ContainerConfiguration
{
    /// <summary>Creates a configuration; null ports mean "not on the host network" (ports are mapped).</summary>
    /// <param name="hostNetworkSmtpPort">The SMTP port the container listens on in the host's network namespace.</param>
    /// <param name="hostNetworkHttpPort">The HTTP port the container listens on in the host's network namespace.</param>
    public MailSinkConfiguration(int? hostNetworkSmtpPort = null, int? hostNetworkHttpPort = null)
    {
        HostNetworkSmtpPort = hostNetworkSmtpPort;
        HostNetworkHttpPort = hostNetworkHttpPort;
    }

    /// <summary>Copies a Docker resource configuration.</summary>
    /// <param name="resourceConfiguration">The Docker resource configuration.</param>
    public MailSinkConfiguration(IResourceConfiguration<CreateContainerParameters> resourceConfiguration)
        : base(resourceConfiguration)
    {
    }

    /// <summary>Copies a container configuration.</summary>
    /// <param name="resourceConfiguration">The container configuration.</param>
    public MailSinkConfiguration(IContainerConfiguration resourceConfiguration)
        : base(resourceConfiguration)
    {
    }

    /// <summary>Copies a MailSink configuration.</summary>
    /// <param name="resourceConfiguration">The MailSink configuration.</param>
    public MailSinkConfiguration(MailSinkConfiguration resourceConfiguration)
        : this(new MailSinkConfiguration(), resourceConfiguration)
    {
    }

    /// <summary>Merges two configurations, the new values winning where set.</summary>
    /// <param name="oldValue">The old configuration.</param>
    /// <param name="newValue">The new configuration.</param>
    public MailSinkConfiguration(MailSinkConfiguration oldValue, MailSinkConfiguration newValue)
        : base(oldValue, newValue)
    {
        // Every builder step merges a fresh configuration into the old one: unset (null) keeps the old value.
        HostNetworkSmtpPort = newValue.HostNetworkSmtpPort ?? oldValue.HostNetworkSmtpPort;
        HostNetworkHttpPort = newValue.HostNetworkHttpPort ?? oldValue.HostNetworkHttpPort;
    }

    /// <summary>With <see cref="MailSinkBuilder.WithHostNetwork"/>: the SMTP port on the host; otherwise null.</summary>
    public int? HostNetworkSmtpPort { get; }

    /// <summary>With <see cref="MailSinkBuilder.WithHostNetwork"/>: the HTTP port on the host; otherwise null.</summary>
    public int? HostNetworkHttpPort { get; }

    /// <summary>True when the container shares the host's network namespace (no port mapping).</summary>
    public bool UsesHostNetwork => HostNetworkHttpPort is not null;
}
