using MailSink.Options;

namespace MailSink.Tests.Options;

/// <summary>The strict modes' options fail at start-up naming the option and the value.</summary>
public sealed class StrictModeOptionsValidationTests
{
    public static TheoryData<string, Action<SmtpOptions>, string> BadValues => new()
    {
        { "RequireTls on a listener without TLS", o => o.Smtp.RequireTls = true, "Smtp:Smtp:RequireTls is true but Smtp:Smtp:Tls is None" },
        { "a user name with a colon", o => o.Users.Add(new SmtpUserOptions { Name = "a:b", Password = "x" }), "Smtp:Users:0:Name must be a user name without ':', got 'a:b'" },
        { "a user without a password", o => o.Submission.Users.Add(new SmtpUserOptions { Name = "ann" }), "Smtp:Submission:Users:0:Password must not be empty (user 'ann')" },
        { "a users file that does not exist", o => o.UsersFile = "/nonexistent/users.htpasswd", "Smtp:UsersFile: file '/nonexistent/users.htpasswd' does not exist" },
        { "a negative failure limit", o => o.AuthFailureLimit = -1, "Smtp:AuthFailureLimit must be 0 (off) or more, got -1" },
        { "a failure window under a second", o => o.AuthFailureWindow = TimeSpan.FromMilliseconds(10), "Smtp:AuthFailureWindow must be at least 00:00:01" },
        { "an unknown bare line ending handling", o => o.BareLineEndings = (BareLineEndingsHandling)7, "Smtp:BareLineEndings must be Accept or Reject, got 7" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void A_bad_strict_mode_option_is_refused_naming_the_option(string name, Action<SmtpOptions> change, string expected)
    {
        var options = new SmtpOptions();
        change(options);

        var result = new SmtpOptionsValidator().Validate(null, options);

        Assert.True(result.Failed, name);
        Assert.Contains(result.Failures!, f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_users_file_with_an_md5_hash_is_refused_naming_the_line()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "ann:plain\nbob:$apr1$abc$def\n");
            var result = new SmtpOptionsValidator().Validate(null, new SmtpOptions { UsersFile = file });

            Assert.Contains(result.Failures!, f => f.Contains($"Smtp:UsersFile: '{file}': line 2 (user 'bob') uses a $apr1$ hash", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void RequireTls_on_a_starttls_listener_and_configured_users_are_valid()
    {
        var options = new SmtpOptions { Users = [new SmtpUserOptions { Name = "ann", Password = "secret" }] };
        options.Submission.RequireTls = true;
        options.Smtp.RequireAuth = true;

        Assert.True(new SmtpOptionsValidator().Validate(null, options).Succeeded);
    }
}
