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
internal static class CodePageEncodings
{
    [ModuleInitializer]
    internal static void Register() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
}
