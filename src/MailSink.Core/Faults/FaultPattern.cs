using System.Text;
using System.Text.RegularExpressions;

namespace MailSink.Faults;

/// <summary>A compiled match pattern: a glob, or a regular expression written between slashes.</summary>
internal sealed class FaultPattern
{
    // A rule is evaluated inside an SMTP command; a pathological expression must not stall the session.
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);
    private readonly Regex _regex;

    private FaultPattern(string text, Regex regex)
    {
        Text = text;
        _regex = regex;
    }

    public string Text { get; }

    /// <summary>Compiles <paramref name="text"/>; on failure <paramref name="error"/> says why.</summary>
    public static FaultPattern? TryCreate(string text, out string? error)
    {
        error = null;
        try
        {
            if (text.Length >= 2 && text[0] == '/' && text[^1] == '/')
            {
                return new FaultPattern(text, new Regex(text[1..^1], RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, MatchTimeout));
            }

            return new FaultPattern(text, new Regex(GlobToRegex(text), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, MatchTimeout));
        }
        catch (ArgumentException ex)
        {
            error = $"'{text}' is not a valid regular expression: {ex.Message}";
            return null;
        }
    }

    public bool IsMatch(string? value)
    {
        if (value is null)
        {
            return false;
        }

        try
        {
            return _regex.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static string GlobToRegex(string glob)
    {
        var pattern = new StringBuilder("^");
        foreach (var c in glob)
        {
            pattern.Append(c switch
            {
                '*' => ".*",
                '?' => ".",
                _ => Regex.Escape(c.ToString()),
            });
        }

        return pattern.Append('$').ToString();
    }
}
