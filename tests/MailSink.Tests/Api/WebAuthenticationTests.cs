using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Api;

/// <summary>
/// Optional authentication of the web UI, API and hub (issue 13): HTTP Basic against an htpasswd file
/// (bcrypt lines as Apache's htpasswd writes them, and plain lines) or a bearer token. Health probes and
/// SMTP stay open.
/// </summary>
public sealed class WebAuthenticationTests(WebAuthenticationTests.App app) : IClassFixture<WebAuthenticationTests.App>
{
    /// <summary>Written by Apache's <c>htpasswd -nbB -C 5 dev 's3cret-password'</c> (apache2-utils 2.4).</summary>
    public const string HtpasswdBcryptLine = "dev:$2y$05$dYxh.h2R53G7xa7HTUGINu5D422ZWvvvY2kDenSgNsDncwDAaBvya";

    public const string Token = "test-token-0123456789abcdef";

    [Theory]
    [InlineData("GET", "/")]
    [InlineData("GET", "/messages/any-client-route")]
    [InlineData("GET", "/api/v1/messages")]
    [InlineData("GET", "/api/v2/messages")]
    [InlineData("DELETE", "/api/v1/messages")]
    [InlineData("GET", "/openapi/v1.json")]
    [InlineData("GET", "/api/docs/")]
    [InlineData("POST", "/hubs/inbox/negotiate?negotiateVersion=1")]
    public async Task Without_credentials_the_ui_api_and_hub_answer_401_problem_with_both_challenges(string method, string path)
    {
        using var response = await app.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"Authentication required\"", await response.Content.ReadAsStringAsync());
        var challenges = response.Headers.WwwAuthenticate.Select(c => c.ToString()).ToList();
        Assert.Contains("Basic realm=\"MailSink\", charset=\"UTF-8\"", challenges);
        Assert.Contains("Bearer realm=\"MailSink\"", challenges);
        Assert.Equal(["SAMEORIGIN"], response.Headers.GetValues("X-Frame-Options"));
    }

    [Theory]
    [InlineData("/livez")]
    [InlineData("/readyz")]
    public async Task Health_probes_stay_open(string path)
    {
        using var response = await app.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("dev", "s3cret-password")]
    [InlineData("plain", "plain-password:with-colon")]
    public async Task Basic_credentials_from_the_htpasswd_file_open_the_api(string user, string password)
    {
        using var response = await SendAsync("/api/v1/messages", Basic(user, password));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("dev", "wrong")]
    [InlineData("dev", "")]
    [InlineData("plain", "plain-password")]
    [InlineData("nobody", "s3cret-password")]
    public async Task Wrong_basic_credentials_get_401_saying_they_were_not_accepted(string user, string password)
    {
        using var response = await SendAsync("/api/v1/messages", Basic(user, password));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("\"Credentials not accepted\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_api_token_opens_the_api_and_a_wrong_one_is_named_invalid()
    {
        using var right = await SendAsync("/api/v1/messages", new AuthenticationHeaderValue("Bearer", Token));
        using var wrong = await SendAsync("/api/v1/messages", new AuthenticationHeaderValue("Bearer", Token + "x"));

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("Bearer realm=\"MailSink\", error=\"invalid_token\"", wrong.Headers.WwwAuthenticate.Select(c => c.ToString()));
    }

    [Fact]
    public async Task The_hub_negotiates_with_basic_credentials_with_the_token_or_with_the_token_as_access_token()
    {
        const string Negotiate = "/hubs/inbox/negotiate?negotiateVersion=1";

        using var basic = await SendAsync(Negotiate, Basic("dev", "s3cret-password"), HttpMethod.Post);
        using var bearer = await SendAsync(Negotiate, new AuthenticationHeaderValue("Bearer", Token), HttpMethod.Post);
        using var query = await SendAsync($"{Negotiate}&access_token={Token}", null, HttpMethod.Post);
        using var wrongQuery = await SendAsync($"{Negotiate}&access_token=nope{Token}", null, HttpMethod.Post);

        Assert.Equal(HttpStatusCode.OK, basic.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongQuery.StatusCode);
    }

    [Fact]
    public async Task The_token_in_the_query_string_opens_only_the_hub()
    {
        // Tokens in URLs end up in logs and history; the hub needs it (a browser WebSocket cannot set headers), the API does not.
        using var response = await SendAsync($"/api/v1/messages?access_token={Token}", null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task SMTP_needs_no_credentials_and_the_message_is_readable_with_them()
    {
        var id = await RawSmtpClient.DeliverAsync(app.SmtpPort, Encoding.ASCII.GetBytes("From: a@example.test\r\nTo: b@example.test\r\nSubject: auth\r\n\r\nbody\r\n"));

        using var response = await SendAsync($"/api/v1/message/{id}", new AuthenticationHeaderValue("Bearer", Token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(string path, AuthenticationHeaderValue? authorization, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        request.Headers.Authorization = authorization;
        return await app.Http.SendAsync(request);
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    /// <summary>MailSink with both an htpasswd file (one bcrypt user, one plain user) and an API token.</summary>
    public sealed class App() : MailSinkApp(dataDirectory: null, settings: new Dictionary<string, string?>
    {
        ["Web:HtpasswdFile"] = UsersFile.Value,
        ["Web:ApiToken"] = Token,
    })
    {
        private static readonly Lazy<string> UsersFile = new(() =>
        {
            var path = Path.Combine(Path.GetTempPath(), "mailsink-tests", $"users-{Guid.NewGuid():N}.htpasswd");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, $"# MailSink users\n{HtpasswdBcryptLine}\n\nplain:plain-password:with-colon\n");
            return path;
        });
    }
}
