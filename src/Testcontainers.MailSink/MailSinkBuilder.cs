using System.Net;
using System.Net.Sockets;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Images;

namespace Testcontainers.MailSink;

/// <summary>
/// Builds a <see cref="MailSinkContainer"/>: the MailSink image with plain SMTP and the HTTP API published on random
/// host ports, ready once <c>/readyz</c> answers 200.
/// </summary>
/// <example>
/// <code>
/// await using var mailSink = new MailSinkBuilder().Build();
/// await mailSink.StartAsync();
/// // point the application at mailSink.Hostname:mailSink.GetSmtpPort(), then:
/// using var client = mailSink.GetClient();
/// var mail = await client.WaitForMessageAsync("to:ann@example.com", TimeSpan.FromSeconds(10));
/// </code>
/// </example>
public sealed class MailSinkBuilder : ContainerBuilder<MailSinkBuilder, MailSinkContainer, MailSinkConfiguration>
{
    /// <summary>The default image.</summary>
    public const string MailSinkImage = "mailsink/mailsink:latest";

    /// <summary>The plain SMTP port inside the container.</summary>
    public const ushort SmtpPort = 1025;

    /// <summary>The HTTP API (and web inbox) port inside the container.</summary>
    public const ushort HttpPort = 8025;

    /// <summary>Creates a builder for the default image, <see cref="MailSinkImage"/>.</summary>
    public MailSinkBuilder()
        : this(MailSinkImage)
    {
    }

    /// <summary>Creates a builder for an image.</summary>
    /// <param name="image">The full image name with its tag, e.g. <c>mailsink/mailsink:latest</c> or one built locally.</param>
    public MailSinkBuilder(string image)
        : this(new DockerImage(image))
    {
    }

    /// <summary>Creates a builder for an image.</summary>
    /// <param name="image">The image.</param>
    public MailSinkBuilder(IImage image)
        : this(new MailSinkConfiguration())
    {
        DockerResourceConfiguration = Init().WithImage(image).DockerResourceConfiguration;
    }

    private MailSinkBuilder(MailSinkConfiguration resourceConfiguration)
        : base(resourceConfiguration)
    {
        DockerResourceConfiguration = resourceConfiguration;
    }

    /// <inheritdoc />
    protected override MailSinkConfiguration DockerResourceConfiguration { get; }

    /// <summary>
    /// Runs the container in the host's network namespace (<c>--network host</c>) instead of publishing ports: for
    /// engines without a bridge network, where port mappings do not exist. MailSink then listens on two free ports
    /// bound to 127.0.0.1, which <see cref="MailSinkContainer.GetSmtpPort"/> and
    /// <see cref="MailSinkContainer.GetApiAddress"/> report. Needs an engine on this machine.
    /// </summary>
    /// <returns>A configured builder.</returns>
    /// <remarks>
    /// Docker ignores port bindings under host networking, so Testcontainers' mapped-port model has nothing to map;
    /// the ports are chosen here and handed to MailSink through its MAILSINK_ settings. They are free when chosen but
    /// not reserved: a process that takes one between now and the container's start makes the start fail (it is not
    /// silently shared). The submission and implicit-TLS listeners are switched off so the container does not take
    /// the host's 587 and 465.
    /// </remarks>
    public MailSinkBuilder WithHostNetwork()
    {
        var smtpPort = FreeLoopbackPort();
        int httpPort;
        do
        {
            httpPort = FreeLoopbackPort();
        }
        while (httpPort == smtpPort);

        return Merge(DockerResourceConfiguration, new MailSinkConfiguration(hostNetworkSmtpPort: smtpPort, hostNetworkHttpPort: httpPort))
            .WithCreateParameterModifier(parameters =>
            {
                parameters.HostConfig ??= new HostConfig();
                parameters.HostConfig.NetworkMode = "host";
            })
            // With host networking the image's 0.0.0.0 would open these ports on every interface of the host.
            .WithEnvironment("MAILSINK_Server__Bind", "127.0.0.1")
            .WithEnvironment("MAILSINK_Smtp__Smtp__Port", smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("MAILSINK_Web__HttpPort", httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("MAILSINK_Smtp__Submission__Enabled", "false")
            .WithEnvironment("MAILSINK_Smtp__Smtps__Enabled", "false");
    }

    /// <inheritdoc />
    public override MailSinkContainer Build()
    {
        Validate();

        // Ports are published here rather than in Init(): under host networking there must be none, since
        // Testcontainers waits for every configured binding to be mapped, and these never would be.
        var builder = DockerResourceConfiguration.UsesHostNetwork
            ? this
            : WithPortBinding(SmtpPort, true).WithPortBinding(HttpPort, true);

        // As the official modules do: the module's wait strategy unless the caller gave one of their own (the base
        // builder always holds one, "the container is running").
        builder = DockerResourceConfiguration.WaitStrategies.Count() > 1
            ? builder
            : builder.WithWaitStrategy(Wait.ForUnixContainer().AddCustomWaitStrategy(new ReadyzAnswersOk()));
        return new MailSinkContainer(builder.DockerResourceConfiguration);
    }

    /// <inheritdoc />
    protected override MailSinkBuilder Clone(IResourceConfiguration<CreateContainerParameters> resourceConfiguration) =>
        Merge(DockerResourceConfiguration, new MailSinkConfiguration(resourceConfiguration));

    /// <inheritdoc />
    protected override MailSinkBuilder Clone(IContainerConfiguration resourceConfiguration) =>
        Merge(DockerResourceConfiguration, new MailSinkConfiguration(resourceConfiguration));

    /// <inheritdoc />
    protected override MailSinkBuilder Merge(MailSinkConfiguration oldValue, MailSinkConfiguration newValue) =>
        new(new MailSinkConfiguration(oldValue, newValue));

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Ready when GET /readyz answers 200 (storage open, SMTP listening). Not Testcontainers' HTTP wait strategy: that
    /// one asks for the mapped port, which does not exist under <see cref="WithHostNetwork"/>; this one asks the
    /// container for its API address, which is right in both modes.
    /// </summary>
    private sealed class ReadyzAnswersOk : IWaitUntil
    {
        private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

        public async Task<bool> UntilAsync(IContainer container)
        {
            var mailSink = container as MailSinkContainer
                ?? throw new InvalidOperationException($"the /readyz wait strategy is for {nameof(MailSinkContainer)}, not {container.GetType().Name}");
            try
            {
                using var response = await Http.GetAsync(new Uri(mailSink.GetApiAddress(), "readyz")).ConfigureAwait(false);
                return response.StatusCode == HttpStatusCode.OK;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
                return false;
            }
        }
    }
}
