using MimeKit;

namespace MailSink.Diagnostics.Content;

/// <summary>
/// Header-section checks (RFC 5322 section 3.6, RFC 8058) beyond the projector's missing-header warnings:
/// repeated singletons, several From addresses without Sender, a malformed Message-ID, List-Unsubscribe on bulk mail.
/// </summary>
internal static class HeaderChecks
{
    /// <summary>RFC 5322 section 3.6: fields that may appear at most once.</summary>
    private static readonly string[] Singletons = ["Date", "From", "Sender", "Reply-To", "To", "Cc", "Bcc", "Message-ID", "In-Reply-To", "References", "Subject"];

    public static void Check(MimeMessage message, List<Finding> findings)
    {
        var headers = message.Headers;
        foreach (var name in Singletons)
        {
            var count = headers.Count(h => h.Field.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (count > 1)
            {
                findings.Add(Finding.Of($"headers.repeated-{name.ToLowerInvariant()}", FindingSeverity.Error, FindingArea.Headers, "RFC 5322 section 3.6",
                    $"The {name} header appears {count} times; it may appear once, and receivers such as Gmail reject messages with repeated {name}. Remove the duplicates."));
            }
        }

        if (message.From.Mailboxes.Count() > 1 && !headers.Contains(HeaderId.Sender))
        {
            findings.Add(Finding.Of("headers.multiple-from-without-sender", FindingSeverity.Error, FindingArea.Headers, "RFC 5322 section 3.6.2",
                "From lists several addresses but there is no Sender header naming the one that sent it; add Sender (DMARC receivers reject multi-address From outright, so prefer a single From)."));
        }

        var messageId = headers[HeaderId.MessageId];
        if (messageId is not null && (string.IsNullOrEmpty(message.MessageId) || !message.MessageId.Contains('@') || !messageId.Trim().StartsWith('<')))
        {
            findings.Add(Finding.Of("headers.message-id-malformed", FindingSeverity.Warning, FindingArea.Headers, "RFC 5322 section 3.6.4",
                $"The Message-ID \"{messageId.Trim()}\" is not of the form <unique@domain>; generate one with your domain after the @."));
        }

        CheckListUnsubscribe(headers, findings);
    }

    /// <summary>
    /// Gmail and Yahoo require one-click unsubscribe (RFC 8058) from bulk senders since 2024. "Bulk-looking" is a
    /// List-Id, Precedence: bulk/list, a Feedback-ID or a List-Unsubscribe already present.
    /// </summary>
    private static void CheckListUnsubscribe(HeaderList headers, List<Finding> findings)
    {
        var precedence = headers["Precedence"]?.Trim().ToLowerInvariant();
        var unsubscribe = headers["List-Unsubscribe"];
        var bulk = headers.Contains("List-Id") || precedence is "bulk" or "list" || headers.Contains("Feedback-ID") || unsubscribe is not null;
        if (!bulk)
        {
            return;
        }

        if (unsubscribe is null)
        {
            findings.Add(Finding.Of("headers.list-unsubscribe-missing", FindingSeverity.Warning, FindingArea.Headers, "RFC 8058 section 3.1",
                "This looks like bulk mail (List-Id, Precedence or Feedback-ID) but has no List-Unsubscribe; add List-Unsubscribe: <https://...> and List-Unsubscribe-Post: List-Unsubscribe=One-Click."));
            return;
        }

        var post = headers["List-Unsubscribe-Post"]?.Trim();
        if (!string.Equals(post, "List-Unsubscribe=One-Click", StringComparison.OrdinalIgnoreCase))
        {
            findings.Add(Finding.Of("headers.one-click-missing", FindingSeverity.Warning, FindingArea.Headers, "RFC 8058 section 3.1",
                "List-Unsubscribe is present without List-Unsubscribe-Post: List-Unsubscribe=One-Click; Gmail and Yahoo require one-click unsubscribe from bulk senders."));
        }
        else if (!unsubscribe.Contains("<https://", StringComparison.OrdinalIgnoreCase))
        {
            findings.Add(Finding.Of("headers.one-click-needs-https", FindingSeverity.Warning, FindingArea.Headers, "RFC 8058 section 3.1",
                "One-click unsubscribe needs an https URI in List-Unsubscribe; add <https://...> next to any mailto:."));
        }
        else
        {
            findings.Add(Finding.Of("headers.one-click", FindingSeverity.Pass, FindingArea.Headers, "RFC 8058 section 3.1",
                "List-Unsubscribe with one-click unsubscribe (RFC 8058) is present."));
        }
    }
}
