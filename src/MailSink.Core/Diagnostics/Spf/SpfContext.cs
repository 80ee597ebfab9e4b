using System.Net;

namespace MailSink.Diagnostics.Spf;

/// <summary>The inputs of check_host() that stay the same through includes (RFC 7208 section 4.1).</summary>
internal sealed record SpfContext(IPAddress Ip, string Sender, string Helo);
