using MailSink.EndToEnd.Browser.Infrastructure;

namespace MailSink.EndToEnd.Browser;

/// <summary>
/// The rule for a missing browser: skipped with a reason on a developer's machine, a failure under CI=true.
/// These run without a browser, so the rule itself is tested everywhere.
/// </summary>
public sealed class ChromiumAvailabilityTests
{
    [Fact]
    public void Missing_chromium_on_a_developer_machine_is_a_skip_that_says_how_to_install_it()
    {
        var reason = Chromium.SkipReasonFor(executablePath: null, ci: false);

        Assert.NotNull(reason);
        Assert.Contains("Chromium not found", reason, StringComparison.Ordinal);
        Assert.Contains("apt-get install chromium", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_chromium_under_ci_is_not_skipped_so_the_tests_fail()
    {
        Assert.Null(Chromium.SkipReasonFor(executablePath: null, ci: true));
    }

    [Fact]
    public void Present_chromium_runs_the_tests()
    {
        Assert.Null(Chromium.SkipReasonFor("/usr/bin/chromium", ci: false));
        Assert.Null(Chromium.SkipReasonFor("/usr/bin/chromium", ci: true));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Ci_is_read_from_the_ci_variable(string? value, bool expected)
    {
        Assert.Equal(expected, Chromium.IsCiValue(value));
    }

    [Fact]
    public void An_override_path_is_used_alone_and_never_falls_back_to_the_usual_places()
    {
        Assert.Null(Chromium.Locate("/nowhere/chromium", _ => false));
        Assert.Equal("/opt/chromium", Chromium.Locate("/opt/chromium", path => path == "/opt/chromium"));
        Assert.Equal("/usr/bin/chromium-browser", Chromium.Locate(null, path => path == "/usr/bin/chromium-browser"));
        Assert.Null(Chromium.Locate(null, _ => false));
    }
}
