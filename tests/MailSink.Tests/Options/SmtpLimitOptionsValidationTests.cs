using MailSink.Options;

namespace MailSink.Tests.Options;

/// <summary>The wire limits' options fail at start-up naming the option and the value (the process-level path is StartupErrorsTests).</summary>
public sealed class SmtpLimitOptionsValidationTests
{
    public static TheoryData<string, Action<SmtpOptions>, string> BadValues => new()
    {
        { "command timeout of zero", o => o.CommandTimeout = TimeSpan.Zero, "Smtp:CommandTimeout must be at least 00:00:00.1, got 00:00:00" },
        { "negative data block timeout", o => o.DataBlockTimeout = TimeSpan.FromSeconds(-1), "Smtp:DataBlockTimeout must be at least" },
        { "data timeout of 50 ms", o => o.DataTimeout = TimeSpan.FromMilliseconds(50), "Smtp:DataTimeout must be at least" },
        { "negative discard limit", o => o.OversizeDiscardLimit = -1, "Smtp:OversizeDiscardLimit must be 0" },
        { "transcript cap too small", o => o.MaxTranscriptLines = 10, "Smtp:MaxTranscriptLines must be 100-9000" },
        { "transcript cap too large for one storage document", o => o.MaxTranscriptLines = 100_000, "Smtp:MaxTranscriptLines must be 100-9000" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void A_bad_limit_is_refused_naming_the_option(string name, Action<SmtpOptions> change, string expected)
    {
        var options = new SmtpOptions();
        change(options);

        var result = new SmtpOptionsValidator().Validate(null, options);

        Assert.True(result.Failed, name);
        Assert.Contains(result.Failures!, f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.True(new SmtpOptionsValidator().Validate(null, new SmtpOptions()).Succeeded);
    }
}
