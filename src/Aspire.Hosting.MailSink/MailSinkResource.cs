namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// MailSink, the local SMTP sink, as an Aspire container resource: plain SMTP on the <c>smtp</c> endpoint, the HTTP
/// API and web inbox on the <c>http</c> endpoint. Its connection string is <c>smtp://host:port</c>.
/// </summary>
/// <param name="name">The resource name, also the connection string's name (<c>ConnectionStrings__{name}</c>).</param>
public sealed class MailSinkResource(string name) : ContainerResource(name), IResourceWithConnectionString
{
    /// <summary>The name of the plain SMTP endpoint.</summary>
    public const string SmtpEndpointName = "smtp";

    /// <summary>The name of the HTTP endpoint (API, web inbox, /readyz).</summary>
    public const string HttpEndpointName = "http";

    /// <summary>The plain SMTP port inside the container.</summary>
    public const int SmtpTargetPort = 1025;

    /// <summary>The HTTP port inside the container.</summary>
    public const int HttpTargetPort = 8025;

    private EndpointReference? _smtpEndpoint;
    private EndpointReference? _httpEndpoint;

    /// <summary>The plain SMTP endpoint.</summary>
    public EndpointReference SmtpEndpoint => _smtpEndpoint ??= new(this, SmtpEndpointName);

    /// <summary>The HTTP endpoint: API, web inbox and health checks.</summary>
    public EndpointReference HttpEndpoint => _httpEndpoint ??= new(this, HttpEndpointName);

    /// <summary><c>smtp://host:port</c> of the SMTP endpoint, as the application sees it.</summary>
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"smtp://{SmtpEndpoint.Property(EndpointProperty.HostAndPort)}");
}
