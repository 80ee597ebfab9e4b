using MailKit.Net.Smtp;
using MailSink.Faults;
using MailSink.Tests.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace MailSink.Tests.Faults;

/// <summary>MailSink with one rule from the Faults:Rules configuration list.</summary>
public sealed class ConfiguredFaultsApp() : MailSinkApp(services => services.Configure<FaultOptions>(o =>
    o.Rules.Add(new FaultRuleSpec { Preset = "blocked", Match = new FaultMatchSpec { Sender = "*@spam.test" } })));

/// <summary>Rules from configuration are in force from start-up; bad ones stop start-up naming their key.</summary>
public sealed class ConfiguredFaultsTests(ConfiguredFaultsApp app) : IClassFixture<ConfiguredFaultsApp>
{
    [Fact]
    public async Task A_configured_rule_is_listed_as_config_1_and_fires_without_any_api_call()
    {
        var ex = await Assert.ThrowsAsync<SmtpCommandException>(() => SmtpSending.SendOneAsync(app.SmtpPort, SmtpSending.NewMessage("spam", from: "x@spam.test")));
        Assert.Equal("5.7.1 Message refused by policy: sender blocked", ex.Message);

        var rule = await app.GetJsonAsync("/api/v1/faults/config-1");
        Assert.Equal("mail", rule["Stage"]!.GetValue<string>());
        Assert.Equal(1, rule["Fired"]!.GetValue<int>());
    }

    [Fact]
    public void A_bad_configured_rule_fails_validation_naming_its_key()
    {
        var options = new FaultOptions { Rules = [new FaultRuleSpec { Preset = "user-unknown", Match = new FaultMatchSpec { Recipient = "/(/" } }] };

        var result = new FaultOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.StartsWith("Faults:Rules:0:Match:Recipient: '/(/' is not a valid regular expression", result.FailureMessage, StringComparison.Ordinal);
    }
}
