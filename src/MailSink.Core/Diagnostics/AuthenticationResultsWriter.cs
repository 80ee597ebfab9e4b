using System.Text;
using MailSink.Diagnostics.Dkim;
using MailSink.Diagnostics.Dmarc;
using MailSink.Diagnostics.Spf;

namespace MailSink.Diagnostics;

/// <summary>
/// The RFC 8601 Authentication-Results header MailSink would add as a receiver. Results that could not be evaluated
/// are "none" with a comment (section 2.7: there is no "not evaluated" result word).
/// </summary>
internal static class AuthenticationResultsWriter
{
    public static string Write(string authservId, IReadOnlyList<DkimResult> dkim, SpfReport? spf, DmarcResult? dmarc)
    {
        var results = new List<string>();
        if (dkim.Count == 0)
        {
            results.Add("dkim=none (no signature)");
        }

        foreach (var d in dkim)
        {
            var (word, comment) = Word(d.Result, d.Reason);
            var bits = d.KeyBits is { } b ? $"{b}-bit key" : "";
            comment = string.Join("; ", new[] { bits, comment }.Where(c => c.Length > 0));
            results.Add($"dkim={word}{Comment(comment)} header.d={d.Domain} header.s={d.Selector} header.a={d.Algorithm}");
        }

        if (spf?.Deciding is { } e)
        {
            var (word, comment) = Word(e.Result, e.Result is "pass" or "fail" or "softfail" or "neutral" ? $"{e.Ip} by {e.Mechanism}" : e.Reason);
            var property = spf.Identity == "helo" ? "smtp.helo" : "smtp.mailfrom";
            results.Add($"spf={word}{Comment(comment)} {property}={spf.Domain}");
        }
        else
        {
            results.Add(spf is null ? "spf=none (no domain)" : $"spf=none (no address to evaluate) {(spf.Identity == "helo" ? "smtp.helo" : "smtp.mailfrom")}={spf.Domain}");
        }

        if (dmarc is not null)
        {
            var (word, comment) = Word(dmarc.Result, dmarc.AppliedPolicy.Length > 0 ? $"p={dmarc.AppliedPolicy}" : "");
            results.Add($"dmarc={word}{Comment(comment)} header.from={dmarc.FromDomain}");
        }

        var text = new StringBuilder($"Authentication-Results: {authservId}");
        foreach (var result in results)
        {
            // Section 2.2: resinfo separated by ";", folded one per line for reading.
            text.Append(";\r\n\t").Append(result);
        }

        return text.ToString();
    }

    private static (string Word, string Comment) Word(string result, string detail) => result switch
    {
        "not-evaluated" => ("none", "not evaluated: DNS off"),
        "" => ("none", detail),
        _ => (result, detail),
    };

    /// <summary>RFC 5322 comments may not hold unbalanced parentheses or backslashes.</summary>
    private static string Comment(string text)
    {
        var clean = new string(text.Where(c => c is not ('(' or ')' or '\\') && !char.IsControl(c)).ToArray()).Trim();
        return clean.Length == 0 ? "" : $" ({clean})";
    }
}
