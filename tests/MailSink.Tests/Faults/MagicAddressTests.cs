using MailKit.Net.Smtp;
using MailSink.Faults;
using MailSink.Tests.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace MailSink.Tests.Faults;

/// <summary>Recipients at fail.mailsink.test trigger presets with no rule configured.</summary>
public sealed class MagicAddressTests(FaultsApp app) : IClassFixture<FaultsApp>
{
    [Theory]
    [InlineData("user-unknown", 550, "5.1.1 User unknown: no such mailbox")]
    [InlineData("mailbox-full", 452, "4.2.2 Mailbox full, try again later")]
    [InlineData("blocked", 550, "5.7.1 Message refused by policy: sender blocked")]
    [InlineData("greylist", 451, "4.7.1 Greylisted, please try again later")]
    [InlineData("message-too-big", 552, "5.3.4 Message size exceeds fixed maximum message size")]
    public async Task A_magic_recipient_triggers_its_preset_with_zero_configuration(string preset, int code, string text)
    {
        var ex = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            SmtpSending.SendOneAsync(app.SmtpPort, SmtpSending.NewMessage(preset, to: $"{preset}@fail.mailsink.test")));

        Assert.Equal(code, (int)ex.StatusCode);
        Assert.Equal(text, ex.Message);
        var rule = await app.GetRuleAsync($"magic-{preset}");
        Assert.Equal($"{preset}@fail.mailsink.test", rule["Match"]!["Recipient"]!.GetValue<string>());
    }

    [Fact]
    public async Task Slow_5s_holds_the_final_reply_for_five_seconds_then_accepts()
    {
        var sending = SmtpSending.SendOneAsync(app.SmtpPort, SmtpSending.NewMessage("slow", to: "slow-5s@fail.mailsink.test"));
        await MailSinkApp.WaitUntilAsync(async () =>
        {
            var rule = await app.Http.GetAsync("/api/v1/faults/magic-slow-5s");
            return rule.IsSuccessStatusCode && (await app.GetRuleAsync("magic-slow-5s"))["Fired"]!.GetValue<int>() == 1 ? "fired" : null;
        }, "the slow rule to fire");

        // The rule fires before the connection arms its delay on the fake clock; on a loaded machine the timer may
        // be created a moment later. So time moves in small steps until the reply comes, and the reply must not
        // have come before five (fake) seconds had passed, however late the timer started.
        var advanced = TimeSpan.Zero;
        var step = TimeSpan.FromMilliseconds(100);
        while (!sending.IsCompleted && advanced < TimeSpan.FromSeconds(60))
        {
            app.Clock.Advance(step);
            advanced += step;
            await Task.Delay(20);
        }

        await app.WaitForMessageAsync(await sending.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.True(advanced >= TimeSpan.FromSeconds(5), $"The reply came after {advanced.TotalSeconds:0.0} fake seconds, before five had passed.");
    }

    [Fact]
    public async Task An_unknown_name_at_the_magic_domain_is_refused_with_the_names_that_work_and_success_is_delivered()
    {
        var ex = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            SmtpSending.SendOneAsync(app.SmtpPort, SmtpSending.NewMessage("typo", to: "user-unkown@fail.mailsink.test")));
        Assert.Equal(550, (int)ex.StatusCode);
        Assert.Contains("user-unknown", ex.Message, StringComparison.Ordinal);

        await app.WaitForMessageAsync(await SmtpSending.SendOneAsync(app.SmtpPort, SmtpSending.NewMessage("fine", to: "success@fail.mailsink.test")));
    }
}

/// <summary>MailSink with Faults:MagicAddresses off (set as options: the Faults section is read from appsettings and MAILSINK_FAULTS__ variables).</summary>
public sealed class MagicAddressesOffApp() : MailSinkApp(services => services.Configure<FaultOptions>(o => o.MagicAddresses = false));

/// <summary>Faults:MagicAddresses=false turns the magic domain into an ordinary one.</summary>
public sealed class MagicAddressesOffTests(MagicAddressesOffApp app) : IClassFixture<MagicAddressesOffApp>
{
    [Fact]
    public async Task With_magic_addresses_off_user_unknown_at_the_magic_domain_is_delivered()
    {
        var id = await SmtpSending.SendOneAsync(app.SmtpPort, SmtpSending.NewMessage("plain", to: "user-unknown@fail.mailsink.test"));
        await app.WaitForMessageAsync(id);
    }
}
