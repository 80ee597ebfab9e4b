using MailSink.Domain;
using MimeKit;

namespace MailSink.Mime;

/// <summary>Flattens MimeKit address lists (groups included, RFC 5322 section 3.4) into domain addresses.</summary>
internal static class AddressMapper
{
    private const int MaxGroupDepth = 4;

    public static List<EmailAddress> Map(InternetAddressList list)
    {
        var result = new List<EmailAddress>(list.Count);
        Add(list, result, 0);
        return result;
    }

    private static void Add(InternetAddressList list, List<EmailAddress> result, int depth)
    {
        foreach (var address in list)
        {
            switch (address)
            {
                case MailboxAddress mailbox:
                    result.Add(new EmailAddress(mailbox.Name ?? "", mailbox.Address ?? ""));
                    break;
                case GroupAddress group when depth < MaxGroupDepth:
                    Add(group.Members, result, depth + 1);
                    break;
            }
        }
    }
}
