using System.Net;
using MailSink.Diagnostics.Dns;
using MailSink.Options;
using Microsoft.Extensions.Options;

namespace MailSink.Diagnostics;

/// <summary>Registers the deliverability checks, their options and the DNS resolver they use.</summary>
internal static class DiagnosticsServiceCollectionExtensions
{
    public static IServiceCollection AddDiagnostics(this IServiceCollection services)
    {
        services.AddOptions<DiagnosticsOptions>().BindConfiguration(DiagnosticsOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DiagnosticsOptions>, DiagnosticsOptionsValidator>();
        services.AddSingleton<IDnsResolver>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<DiagnosticsOptions>>().Value;
            var overrides = o.DnsOverrides.Length > 0 ? new DnsOverridesFile(o.DnsOverrides, sp.GetRequiredService<ILogger<DnsOverridesFile>>()) : null;
            return new DiagnosticsResolver(overrides, o.DnsOn ? new SystemDnsResolver() : null);
        });
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<DiagnosticsOptions>>().Value;
            var senderIp = o.SenderIp.Length > 0 ? IPAddress.Parse(o.SenderIp) : null;
            return new MessageChecker(sp.GetRequiredService<IDnsResolver>(), senderIp, sp.GetRequiredService<ServerIdentity>().Hostname, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<IngestChecker>();
        services.AddSingleton<SpamAssassin.SpamdClient>();
        return services;
    }
}
