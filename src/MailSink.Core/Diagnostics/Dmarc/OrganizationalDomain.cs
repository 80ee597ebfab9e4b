namespace MailSink.Diagnostics.Dmarc;

/// <summary>
/// RFC 7489 section 3.2 wants the public suffix list; no public-suffix package is served by the NuGet feed this
/// project uses, so this is the two-label rule: the last two labels ("mail.shop.example" gives "shop.example").
/// It is wrong for multi-label suffixes such as co.uk (shop.co.uk would be treated as its own registrant's parent).
/// </summary>
internal static class OrganizationalDomain
{
    public static string Of(string domain)
    {
        var labels = domain.Trim().TrimEnd('.').ToLowerInvariant().Split('.');
        return labels.Length <= 2 ? string.Join('.', labels) : string.Join('.', labels[^2..]);
    }
}
