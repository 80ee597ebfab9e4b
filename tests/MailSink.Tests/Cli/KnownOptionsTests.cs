using MailSink.Cli;

namespace MailSink.Tests.Cli;

/// <summary>
/// Lists of objects (Faults:Rules, Smtp:Users) are known field by field at any index, so --Faults:Rules:0:Preset=...
/// starts the server, while a mistyped field or a value on the list itself is still refused.
/// </summary>
public sealed class KnownOptionsTests
{
    private static readonly KnownOptions Known = KnownOptions.FromCatalog();

    [Theory]
    [InlineData("Faults:Rules:0:Preset", "greylist")]
    [InlineData("faults:rules:12:match:recipient", "*@bounce.example")]
    [InlineData("Faults:Rules:1:Action:Code", "550")]
    [InlineData("Faults:MagicAddresses", "false")]
    [InlineData("Smtp:Users:3:Password", "secret")]
    [InlineData("Smtp:Submission:Users:0:Name", "ann")]
    [InlineData("Smtp:Submission:RequireTls", "true")]
    [InlineData("Smtp:BareLineEndings", "Reject")]
    [InlineData("Web:AllowedOrigins:2", "http://localhost:5173")]

    // An empty JSON object in a list ("Rules": [{}]) leaves its own key with no value.
    [InlineData("Faults:Rules:0", null)]
    public void A_field_of_a_list_item_at_any_index_is_known(string key, string? value)
    {
        Assert.True(Known.Binds(key, value), key);
    }

    [Theory]
    [InlineData("Faults:Rules:0:Presett", "greylist")]
    [InlineData("Faults:Rules:first:Preset", "greylist")]
    [InlineData("Faults:Rules:0", "greylist")]
    [InlineData("Faults:Rules:0:Match:Recipent", "x")]
    [InlineData("Smtp:Users:0:Nmae", "ann")]
    [InlineData("Smtp:Users:0:Name:Extra", "ann")]
    public void A_mistyped_field_or_a_value_on_the_list_item_itself_is_unknown(string key, string value)
    {
        Assert.False(Known.Binds(key, value), key);
    }

    [Fact]
    public void Help_shows_each_list_of_objects_by_its_first_item()
    {
        var keys = OptionsCatalog.All().Select(o => o.SettingKey).ToList();

        Assert.Contains("Faults:Rules:0:Preset", keys);
        Assert.Contains("Faults:Rules:0:Match:Recipient", keys);
        Assert.Contains("Smtp:Users:0:Name", keys);
        Assert.DoesNotContain("Faults:Rules:0", keys);
    }
}
