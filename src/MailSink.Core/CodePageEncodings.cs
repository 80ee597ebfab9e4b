using System.Runtime.CompilerServices;
using System.Text;

namespace MailSink;

/// <summary>
/// .NET ships only UTF-* and Latin-1; MimeKit needs the code-page provider for ISO-2022-JP,
/// windows-125x, KOI8-R, ... MimeKit caches which charsets exist the first time it decodes a
/// header, so the provider must be registered before any MimeKit use in the process, not just before
/// MailSink's own first parse: registering it lazily (in MimeLoader) lost the race whenever other code
/// (MailKit in tests, for example) decoded a header first, and ISO-2022-JP text then stayed encoded.
/// </summary>
/// <remarks>
/// A module initializer in a library (CA2255) on purpose: it runs when MailSink.Core is loaded, which is as early
/// as a library can act, whichever host (the tool, a test run, someone's app) loads it.
/// </remarks>
internal static class CodePageEncodings
{
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "See the remarks: the provider must be registered before any MimeKit use.")]
    internal static void Register() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
}
