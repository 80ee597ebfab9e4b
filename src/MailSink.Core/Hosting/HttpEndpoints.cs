using MailSink.Options;

namespace MailSink.Hosting;

/// <summary>Binds Kestrel to the same addresses as SMTP (loopback by default) on the HTTP port.</summary>
internal static class HttpEndpoints
{
    public static void UseMailSinkHttpEndpoints(this IWebHostBuilder web, IConfiguration configuration)
    {
        web.ConfigureKestrel((context, kestrel) =>
        {
            var server = configuration.GetSection(ServerOptions.SectionName).Get<ServerOptions>() ?? new ServerOptions();
            var webOptions = configuration.GetSection(WebOptions.SectionName).Get<WebOptions>() ?? new WebOptions();
            IReadOnlyList<System.Net.IPAddress> addresses;
            try
            {
                addresses = BindAddresses.Parse(server.Bind);
            }
            catch (FormatException)
            {
                // Options validation reports the bad --bind value with its name; listen nowhere until then.
                return;
            }

            foreach (var address in addresses)
            {
                kestrel.Listen(address, webOptions.HttpPort);
            }
        });
    }
}
