using System.Text;
using System.Text.RegularExpressions;

namespace MailSink.Smtp;

/// <summary>
/// Adds RFC 3463 enhanced status codes to SmtpServer's replies (the library sends none and cannot
/// advertise ENHANCEDSTATUSCODES), and adds that keyword to the EHLO reply. RFC 2034 section 4:
/// every reply except the greeting and the HELO/EHLO reply carries the code once advertised.
/// </summary>
internal static partial class ReplyRewriter
{
    [GeneratedRegex(@"^\d\.\d{1,3}\.\d{1,3}(\s|$)")]
    private static partial Regex EnhancedCode();

    /// <summary>Rewrites a block of reply lines (CRLF-terminated), pairing each reply with the command it answers.</summary>
    public static string RewriteReplies(string replies, ReplyContext context)
    {
        var output = new StringBuilder(replies.Length + 64);
        var greeted = context.Greeted;
        var next = 0;
        var firstLineOfReply = true;
        foreach (var line in replies.Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var verb = !greeted ? null : next < context.Verbs.Count ? context.Verbs[next] : "";
            var final = line.Length <= 3 || line[3] == ' ';
            var replacement = greeted && context.Replacements is { } r && next < r.Count ? r[next] : null;
            if (replacement is not null)
            {
                // MailSink answered this command itself (PendingReply): the library's reply is replaced whole.
                if (final)
                {
                    output.Append(replacement).Append("\r\n");
                    next++;
                }

                firstLineOfReply = final;
                continue;
            }

            output.Append(Rewrite(line, verb)).Append("\r\n");
            if (final && line.Contains(", 0 retry(ies) remaining", StringComparison.Ordinal))
            {
                // SmtpServer closes after its last retry without a word; RFC 5321 section 3.8 wants a 421 first.
                output.Append(TranscriptMarkers.TooManyErrorsReply).Append("\r\n");
            }

            if (verb == "EHLO" && firstLineOfReply && !final && line.StartsWith("250-", StringComparison.Ordinal))
            {
                // RFC 2034: advertise enhanced status codes (SmtpServer cannot).
                output.Append("250-ENHANCEDSTATUSCODES\r\n");
            }

            firstLineOfReply = final;
            if (final)
            {
                if (!greeted)
                {
                    greeted = true;
                }
                else
                {
                    next++;
                }
            }
        }

        return output.ToString();
    }

    /// <summary>Rewrites one reply line (without CRLF); <paramref name="verb"/> is the command it answers, null for the greeting.</summary>
    public static string Rewrite(string line, string? verb)
    {
        if (line.Length < 3 || verb is null)
        {
            return line;
        }

        if (verb is "EHLO" or "HELO" && line[0] == '2')
        {
            // The library's text is "<host> Hello <name>, haven't we met before?": keep the facts only.
            var cut = line.IndexOf(", haven't we met before?", StringComparison.Ordinal);
            if (cut > 0)
            {
                return line[..cut];
            }

            // AuthExchange answers AUTH on the wire and speaks CRAM-MD5 (RFC 2195) too, which the library cannot advertise.
            return verb == "EHLO" && line.Length > 4 && line.AsSpan(4).StartsWith("AUTH ") && !line.Contains(" CRAM-MD5", StringComparison.Ordinal)
                ? line + " CRAM-MD5"
                : line;
        }

        var code = line[..3];
        var separator = line.Length > 3 ? line[3] : ' ';
        var text = line.Length > 4 ? line[4..] : "";
        if (code == "221" && verb != "QUIT" && text.Contains("Timeout", StringComparison.OrdinalIgnoreCase))
        {
            // SmtpServer says 221 when it gives up on an idle client; RFC 5321 section 4.5.3.2 wants 421.
            return "421 4.4.2 Idle timeout, closing connection";
        }

        if (code == "501" && text.StartsWith("expected ", StringComparison.Ordinal))
        {
            // SmtpServer answers a known command in the wrong state ("RCPT" before "MAIL") with
            // 501 "expected <verbs>"; RFC 5321 section 4.2.4 says 503 bad sequence of commands.
            code = "503";
            text = "Bad sequence of commands, " + text;
        }

        if (code == "334" || code == "354" || EnhancedCode().IsMatch(text))
        {
            return line;
        }

        var enhanced = Classify(code, verb, text);
        if (enhanced is null)
        {
            return line;
        }

        text = Humanise(code, text);
        return $"{code}{separator}{enhanced}{(text.Length == 0 ? "" : " " + text)}";
    }

    private static string? Classify(string code, string? verb, string text) => code switch
    {
        "250" when verb == TranscriptMarkers.DataEnd => "2.0.0",
        // RFC 3463 section 3: subject.detail per reply.
        "220" => verb == "STARTTLS" ? "2.0.0" : null,
        "221" => "2.0.0",
        "235" => "2.7.0",
        "250" => verb switch
        {
            "MAIL" => "2.1.0",
            "RCPT" => "2.1.5",
            _ => "2.0.0",
        },
        "251" => "2.1.5",
        "421" => text.Contains("timeout", StringComparison.OrdinalIgnoreCase) ? "4.4.2" : "4.3.2",
        "450" => "4.2.0",
        "451" => "4.3.0",
        "452" => verb == "RCPT" ? "4.5.3" : "4.3.1",
        "454" => "4.7.0",
        "500" => "5.5.2",
        "501" => "5.5.4",
        "502" => "5.5.1",
        "503" => "5.5.1",
        "504" => "5.5.4",
        "530" => "5.7.0",
        "534" => "5.7.9",
        "535" => "5.7.8",
        "538" => "5.7.11",
        "550" => verb == "RCPT" ? "5.1.1" : "5.7.1",
        "551" => "5.1.6",
        "552" => verb == "RCPT" ? "5.5.3" : "5.3.4",
        "553" => "5.1.3",
        "554" => "5.0.0",
        "555" => "5.5.4",
        _ => null,
    };

    /// <summary>The library's stock texts are terse or whimsical; say plainly what happened.</summary>
    private static string Humanise(string code, string text) => (code, text) switch
    {
        ("554", "") => "Transaction failed",
        ("552", "") => "Message size exceeds fixed maximum message size",
        ("451", "") => "Local error in processing",
        ("220", "ready when you are") => "Ready to start TLS",
        ("235", "go ahead") => "Authentication successful",
        ("221", "bye") => "Bye",
        _ => text,
    };
}
