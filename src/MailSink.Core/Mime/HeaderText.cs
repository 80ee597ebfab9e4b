using System.Text;

namespace MailSink.Mime;

/// <summary>Raw header bytes as text: ASCII by RFC 5322, UTF-8 under SMTPUTF8 (RFC 6532), anything else shown as Latin-1.</summary>
internal static class HeaderText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string FromRaw(byte[] raw)
    {
        try
        {
            return StrictUtf8.GetString(raw);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(raw);
        }
    }
}
