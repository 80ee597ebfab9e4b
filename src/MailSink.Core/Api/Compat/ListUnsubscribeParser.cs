using System.Text.RegularExpressions;
using MailSink.Contracts;

namespace MailSink.Api.Compat;

/// <summary>
/// Checks a List-Unsubscribe value (RFC 2369 section 3.2, RFC 8058) as Mailpit's tools/listunsubscribeparser.go
/// does, so the same header gives the same Links and Errors: each URI in angle brackets, comma-separated,
/// at most one mailto: and one http(s) link, no spaces inside a URI; comments in parentheses are ignored.
/// </summary>
internal static partial class ListUnsubscribeParser
{
    public static ListUnsubscribeDto Parse(string? header, string? headerPost)
    {
        if (header is null)
        {
            return new ListUnsubscribeDto("", [], "", "");
        }

        var links = Links(header, out var errors);
        return new ListUnsubscribeDto(header, links, errors, headerPost ?? "");
    }

    private static List<string> Links(string value, out string errors)
    {
        var results = new List<string>();
        errors = "";
        var v = Comments().Replace(value.Trim(), "").Trim();
        var matches = Bracketed().Matches(v);
        if (matches.Count == 0)
        {
            errors = $"\"{v}\" no valid unsubscribe links found";
            return results;
        }

        if (!v.StartsWith('<') || !v.EndsWith('>'))
        {
            errors = $"\"{v}\" should be enclosed in <>";
            return results;
        }

        var problems = new List<string>();
        if (matches.Count > 2)
        {
            problems.Add($"\"{v}\" should include a maximum of one email and one HTTP link");
        }
        else
        {
            foreach (Match join in Joins().Matches(v))
            {
                if (join.Groups[1].Value.Trim() != ",")
                {
                    errors = $"\"{v}\" <> should be split with a comma and optional spaces";
                    return results;
                }
            }

            bool hasMailTo = false, hasHttp = false;
            foreach (Match m in matches)
            {
                var uri = m.Groups[1].Value;
                if (uri.Any(char.IsWhiteSpace))
                {
                    problems.Add($"\"{uri}\" should not contain spaces");
                }
                else if (MailTo().IsMatch(uri))
                {
                    if (hasMailTo)
                    {
                        problems.Add($"\"{uri}\" should only contain one mailto:");
                        continue;
                    }

                    hasMailTo = true;
                    results.Add(uri);
                }
                else if (Http().IsMatch(uri))
                {
                    if (hasHttp)
                    {
                        problems.Add($"\"{uri}\" should only contain one HTTP link");
                        continue;
                    }

                    hasHttp = true;
                    if (Uri.TryCreate(uri, UriKind.Absolute, out _))
                    {
                        results.Add(uri);
                    }
                    else
                    {
                        problems.Add($"\"{uri}\" is not a valid URL");
                    }
                }
                else
                {
                    problems.Add($"\"{uri}\" should start with either http(s):// or mailto:");
                }
            }
        }

        errors = string.Join(", ", problems);
        return results;
    }

    [GeneratedRegex(@"<(.*?)>")]
    private static partial Regex Bracketed();

    [GeneratedRegex(@">(.*?)<", RegexOptions.Singleline)]
    private static partial Regex Joins();

    [GeneratedRegex(@"\(.*?\)", RegexOptions.Singleline)]
    private static partial Regex Comments();

    [GeneratedRegex("^mailto:[a-zA-Z0-9]")]
    private static partial Regex MailTo();

    [GeneratedRegex("^https?://[a-zA-Z0-9]", RegexOptions.IgnoreCase)]
    private static partial Regex Http();
}
