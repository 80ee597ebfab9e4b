using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.MailSink;

namespace Aspire.Hosting;

/// <summary>Adds MailSink, the local SMTP sink, to an Aspire application.</summary>
public static class MailSinkBuilderExtensions
{
    /// <summary>
    /// Adds a MailSink container with an <c>smtp</c> and an <c>http</c> endpoint, a health check on <c>/readyz</c>,
    /// and the connection string <c>smtp://host:port</c>, which <c>WithReference</c> hands to a project as
    /// <c>ConnectionStrings__{name}</c>.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The resource name, also the connection string's name.</param>
    /// <param name="httpPort">The host port for the API and web inbox; random when null.</param>
    /// <param name="smtpPort">The host port for SMTP; random when null.</param>
    /// <returns>The resource builder, for <c>WithImage</c>, <c>WithImageTag</c>, <c>WithDataVolume</c> and the like.</returns>
    /// <example>
    /// <code>
    /// var mail = builder.AddMailSink("mail");
    /// builder.AddProject&lt;Projects.Web&gt;("web").WithReference(mail).WaitFor(mail);
    /// </code>
    /// </example>
    public static IResourceBuilder<MailSinkResource> AddMailSink(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        int? httpPort = null,
        int? smtpPort = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);

        return builder.AddResource(new MailSinkResource(name))
            .WithImage(MailSinkContainerImageTags.Image, MailSinkContainerImageTags.Tag)
            .WithImageRegistry(MailSinkContainerImageTags.Registry)
            .WithHttpEndpoint(port: httpPort, targetPort: MailSinkResource.HttpTargetPort, name: MailSinkResource.HttpEndpointName)
            .WithEndpoint(port: smtpPort, targetPort: MailSinkResource.SmtpTargetPort, name: MailSinkResource.SmtpEndpointName, scheme: "smtp")
            // /readyz: storage open and SMTP listening; WaitFor(mail) holds dependants until it answers 200.
            .WithHttpHealthCheck("/readyz", endpointName: MailSinkResource.HttpEndpointName)
            .WithUrlForEndpoint(MailSinkResource.HttpEndpointName, url => url.DisplayText = "Inbox")
            .WithUrlForEndpoint(MailSinkResource.SmtpEndpointName, url => url.DisplayLocation = UrlDisplayLocation.DetailsOnly);
    }

    /// <summary>Keeps captured mail in a named volume mounted at <c>/data</c>, so it outlives the container.</summary>
    /// <param name="builder">The MailSink resource builder.</param>
    /// <param name="name">The volume name; derived from the application and resource names when null.</param>
    /// <returns>The resource builder.</returns>
    public static IResourceBuilder<MailSinkResource> WithDataVolume(this IResourceBuilder<MailSinkResource> builder, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithVolume(name ?? VolumeNameGenerator.Generate(builder, "data"), "/data");
    }
}
