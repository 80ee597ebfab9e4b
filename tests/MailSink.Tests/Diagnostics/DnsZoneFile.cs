using MailSink.Diagnostics.Dns;

namespace MailSink.Tests.Diagnostics;

/// <summary>A DNS overrides file in a temporary folder, as a developer would write it, and the resolver over it.</summary>
internal sealed class DnsZoneFile : IDisposable
{
    private readonly string _folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mailsink-tests", "dns-" + Guid.NewGuid().ToString("N"));

    public DnsZoneFile(string text)
    {
        Directory.CreateDirectory(_folder);
        Path = System.IO.Path.Combine(_folder, "dns.txt");
        File.WriteAllText(Path, text);
        Resolver = new DiagnosticsResolver(new DnsOverridesFile(Path), system: null);
    }

    public string Path { get; }

    public DiagnosticsResolver Resolver { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner.
        }
    }
}
