namespace MailSink.EndToEnd.Browser.Infrastructure;

/// <summary>
/// A fact that needs the system Chromium: skipped with the reason when it is missing on a developer's
/// machine, run (and failing with <see cref="Chromium.MissingMessage"/>) when it is missing under CI=true.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
