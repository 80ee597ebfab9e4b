using System.Globalization;

namespace MailSink.Api.Wait;

/// <summary>Parses the wait endpoint's timeout: "30s", "500ms", "2m" or plain (decimal) seconds.</summary>
internal static class WaitTimeout
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    /// <summary>Longest a request may wait; clients that need longer call again (the .NET client does).</summary>
    public static readonly TimeSpan Max = TimeSpan.FromMinutes(5);

    public static bool TryParse(string? value, out TimeSpan timeout)
    {
        timeout = Default;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        var text = value.Trim().ToLowerInvariant();
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : (text, 1.0);
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            || double.IsNaN(amount) || double.IsInfinity(amount))
        {
            return false;
        }

        var seconds = amount * unit;
        if (seconds < 0 || seconds > Max.TotalSeconds)
        {
            return false;
        }

        timeout = TimeSpan.FromSeconds(seconds);
        return true;
    }
}
