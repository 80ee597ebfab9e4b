using System.Text.RegularExpressions;
using MimeKit;

namespace MailSink.Diagnostics.Content;

/// <summary>
/// RFC 2047 encoded-words in unstructured headers: "=?charset?B|Q?text?=" with no spaces, at most 75 characters
/// (section 2), a charset the runtime knows. Lenient readers show a malformed one as raw text, strict ones reject it.
/// </summary>
internal static partial class EncodedWordChecks
{
    private static readonly string[] Checked = ["Subject", "From", "To", "Cc", "Reply-To", "Sender"];

    public static void Check(MimeMessage message, List<Finding> findings)
    {
        foreach (var header in message.Headers.Where(h => Checked.Contains(h.Field, StringComparer.OrdinalIgnoreCase)))
        {
            var raw = System.Text.Encoding.Latin1.GetString(header.RawValue);
            foreach (Match candidate in Candidate().Matches(raw))
            {
                var problem = Problem(candidate.Value);
                if (problem is not null)
                {
                    findings.Add(Finding.Of("headers.encoded-word-invalid", FindingSeverity.Warning, FindingArea.Headers, "RFC 2047 section 2",
                        $"The {header.Field} header has an invalid encoded-word \"{Shorten(candidate.Value)}\" ({problem}); recipients may see it undecoded. Let the mail library encode headers."));
                    return;
                }
            }
        }
    }

    private static string? Problem(string word)
    {
        var match = Valid().Match(word);
        if (!match.Success)
        {
            return "not =?charset?B|Q?text?=";
        }

        if (word.Length > 75)
        {
            return $"{word.Length} characters, more than 75";
        }

        var charset = match.Groups["charset"].Value.Split('*')[0];
        if (!KnownCharset(charset))
        {
            return $"unknown charset '{charset}'";
        }

        if (match.Groups["encoding"].Value is "B" or "b")
        {
            var text = match.Groups["text"].Value;
            var padded = text.Length % 4 == 0 ? text : text + new string('=', 4 - (text.Length % 4));
            Span<byte> buffer = stackalloc byte[padded.Length];
            if (!Convert.TryFromBase64String(padded, buffer, out _))
            {
                return "its base64 text does not decode";
            }
        }

        return null;
    }

    /// <summary>The code-page encodings are registered at start (CodePageEncodings), so ISO-2022-JP and friends count.</summary>
    private static bool KnownCharset(string charset)
    {
        try
        {
            _ = System.Text.Encoding.GetEncoding(charset);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";

    /// <summary>Anything from "=?" to the next "?=" without whitespace: what a reader would try to decode.</summary>
    [GeneratedRegex(@"=\?\S*?\?=")]
    private static partial Regex Candidate();

    [GeneratedRegex(@"^=\?(?<charset>[^?\s()<>@,;:""/\[\]?.=]+)\?(?<encoding>[BbQq])\?(?<text>[^?\s]*)\?=$")]
    private static partial Regex Valid();
}
