using System.Net;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using MailSink.Smtp;
using MailSink.Tests.TestHost;
using static MailSink.Tests.Smtp.Strict.StrictSteps;

namespace MailSink.Tests.Smtp.Strict;

/// <summary>
/// Real credentials (Smtp:Users): right ones let a session send on a listener that requires AUTH, wrong ones get
/// 535 5.7.8 (RFC 4954 section 6), for PLAIN, LOGIN and CRAM-MD5 (RFC 2195), plain and bcrypt users alike.
/// </summary>
public sealed class StrictCredentialsTests(StrictApp app) : IClassFixture<StrictApp>
{
    private const string Mail = "MAIL FROM:<strict@example.test>";

    public static TheoryData<string, string[]> Cases => new()
    {
        { "plain user, PLAIN, right password", [$"AUTH PLAIN {B64("\0ann\0ann-secret")} => 235 2.7.0", $"{Mail} => 250 2.1.0"] },
        { "plain user, PLAIN, wrong password", [$"AUTH PLAIN {B64("\0ann\0guess")} => 535 5.7.8", $"{Mail} => 530 5.7.0"] },
        { "unknown user, PLAIN", [$"AUTH PLAIN {B64("\0mallory\0ann-secret")} => 535 5.7.8", $"{Mail} => 530 5.7.0"] },
        { "plain user, LOGIN, right password", ["AUTH LOGIN => 334 VXNlcm5hbWU6", $"{B64("ann")} => 334 UGFzc3dvcmQ6", $"{B64("ann-secret")} => 235 2.7.0", $"{Mail} => 250 2.1.0"] },
        { "plain user, LOGIN, wrong password", ["AUTH LOGIN => 334 VXNlcm5hbWU6", $"{B64("ann")} => 334 UGFzc3dvcmQ6", $"{B64("nope")} => 535 5.7.8", $"{Mail} => 530 5.7.0"] },
        { "bcrypt user, PLAIN, right password", [$"AUTH PLAIN {B64("\0bob\0bob-secret")} => 235 2.7.0", $"{Mail} => 250 2.1.0"] },
        { "bcrypt user, LOGIN, wrong password", [$"AUTH LOGIN {B64("bob")} => 334 UGFzc3dvcmQ6", $"{B64("ann-secret")} => 535 5.7.8"] },
        { "a retry after a wrong password", [$"AUTH PLAIN {B64("\0ann\0guess")} => 535 5.7.8", $"AUTH PLAIN {B64("\0ann\0ann-secret")} => 235 2.7.0", $"{Mail} => 250 2.1.0"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Configured_users_are_checked_and_wrong_credentials_get_535_5_7_8(string name, string[] steps)
    {
        await using var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort, from: FreshAddress());
        await RunAsync(client, name, steps);
    }

    [Theory]
    [InlineData(StrictApp.Ann, StrictApp.AnnPassword, 235)]
    [InlineData(StrictApp.Ann, "wrong", 535)]
    [InlineData("nobody", StrictApp.AnnPassword, 535)]

    // A bcrypt hash cannot give back the password the digest is keyed with (README: strict modes).
    [InlineData(StrictApp.Bob, StrictApp.BobPassword, 535)]
    public async Task Cram_md5_checks_the_digest_against_a_plain_password(string user, string password, int expected)
    {
        await using var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort, from: FreshAddress());
        var challenge = await client.CommandAsync("AUTH CRAM-MD5");
        Assert.Equal(334, challenge.Code);
        var text = Encoding.ASCII.GetString(Convert.FromBase64String(challenge.Lines[0]));
        Assert.Matches(@"^<\d+\.\d+@sink\.test>$", text);

        var reply = await client.CommandAsync(B64($"{user} {CramMd5.Digest(text, password)}"));

        Assert.True(reply.Code == expected, $"{user}/{password}: {reply}");
        Assert.Equal(expected == 235 ? 250 : 530, (await client.CommandAsync(Mail)).Code);
    }

    [Fact]
    public async Task A_cram_md5_challenge_is_never_repeated()
    {
        await using var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort, from: FreshAddress());
        var first = (await client.CommandAsync("AUTH CRAM-MD5")).Lines[0];
        Assert.Equal(501, (await client.CommandAsync("*")).Code);
        var second = (await client.CommandAsync("AUTH CRAM-MD5")).Lines[0];

        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData("PLAIN")]
    [InlineData("LOGIN")]
    [InlineData("CRAM-MD5")]
    public async Task MailKit_authenticates_with_each_mechanism_and_sends_on_a_listener_that_requires_auth(string mechanism)
    {
        using var client = SmtpSending.NewClient();
        client.LocalEndPoint = new IPEndPoint(FreshAddress(), 0);
        await client.ConnectAsync("127.0.0.1", app.SmtpPort, SecureSocketOptions.None);
        Assert.Contains(mechanism, client.AuthenticationMechanisms);
        client.AuthenticationMechanisms.RemoveWhere(m => m != mechanism);

        await client.AuthenticateAsync(StrictApp.Ann, StrictApp.AnnPassword);
        var reply = await client.SendAsync(SmtpSending.NewMessage($"strict {mechanism}"));
        await client.DisconnectAsync(quit: true);

        var message = await app.WaitForMessageAsync(SmtpSending.QueuedId(reply));
        Assert.Equal(StrictApp.Ann, message["Envelope"]!["AuthUser"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("PLAIN")]
    [InlineData("LOGIN")]
    [InlineData("CRAM-MD5")]
    public async Task MailKit_with_a_wrong_password_gets_535_5_7_8(string mechanism)
    {
        using var client = SmtpSending.NewClient();
        client.LocalEndPoint = new IPEndPoint(FreshAddress(), 0);
        await client.ConnectAsync("127.0.0.1", app.SmtpPort, SecureSocketOptions.None);
        client.AuthenticationMechanisms.RemoveWhere(m => m != mechanism);

        var error = await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync(StrictApp.Ann, "not-it"));

        Assert.StartsWith("535: 5.7.8 ", error.Message, StringComparison.Ordinal);
    }
}
