namespace MailSink.Diagnostics.Dkim;

/// <summary>A DKIM tag=value list (RFC 6376 section 3.2): whitespace around tags and inside values is ignored.</summary>
internal static class DkimTags
{
    public static Dictionary<string, string> Parse(string value)
    {
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in value.Split(';'))
        {
            var eq = item.IndexOf('=');
            if (eq <= 0)
            {
                continue;
            }

            var name = item[..eq].Trim();
            var tagValue = string.Concat(item[(eq + 1)..].Where(c => !char.IsWhiteSpace(c)));
            tags.TryAdd(name, tagValue);
        }

        return tags;
    }
}
