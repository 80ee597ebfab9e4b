using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MailSink.Api;
using MailSink.Api.Wait;
using MailSink.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace MailSink.Tests.Api;

/// <summary>GET /api/v1/wait over real HTTP against an in-process server, mail sent over real SMTP.</summary>
public sealed class WaitApiTests(ITestOutputHelper output) : IAsyncLifetime
{
    private MailSinkServer _sink = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _sink = await MailSinkServer.StartAsync(new MailSinkServerOptions { EnableTlsListeners = false });
        _http = new HttpClient { BaseAddress = _sink.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _sink.DisposeAsync();
    }

    private MessageWaiters Waiters => _sink.Services.GetRequiredService<MessageWaiters>();

    [Fact]
    public async Task Returns_within_moments_of_the_message_arriving()
    {
        // The first message and the first wait of a process pay for JIT, the first LiteDB write and
        // the JSON serializer's metadata: measure a later one.
        await TestMail.SendAsync(_sink.SmtpPort, "warm-up");
        using (var warm = await _http.GetAsync("api/v1/wait?query=subject:warm-up&timeout=10s"))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        var waiting = _http.GetAsync("api/v1/wait?query=subject:latency-check&timeout=10s");
        await UntilAsync(() => Waiters.ActiveCount == 1);

        using var smtp = await TestMail.ConnectAsync(_sink.SmtpPort);
        var sent = Stopwatch.StartNew();
        var sending = smtp.SendAsync(TestMail.Create("latency-check"));
        using var response = await waiting;
        var answeredAt = DateTimeOffset.UtcNow;
        var answeredAfter = sent.Elapsed;
        await sending;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messages")[0];
        Assert.Equal("latency-check", message.GetProperty("Subject").GetString());

        // Created is when MailSink accepted the message (same clock: same process).
        var latency = answeredAt - message.GetProperty("Created").GetDateTimeOffset();
        output.WriteLine($"wait answered {latency.TotalMilliseconds:0.0} ms after MailSink received the message ({answeredAfter.TotalMilliseconds:0.0} ms after the SMTP send began)");
        Assert.True(latency < TimeSpan.FromSeconds(1), $"wait answered {latency.TotalMilliseconds} ms after arrival");
    }

    [Fact]
    public async Task Times_out_with_a_408_problem()
    {
        var clock = Stopwatch.StartNew();
        using var response = await _http.GetAsync("api/v1/wait?query=subject:never-sent&timeout=300ms");
        var elapsed = clock.Elapsed;

        Assert.Equal(HttpStatusCode.RequestTimeout, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(408, problem.GetProperty("status").GetInt32());
        Assert.Contains("subject:never-sent", problem.GetProperty("detail").GetString());
        Assert.Equal(0, problem.GetProperty("found").GetInt32());
        output.WriteLine($"408 after {elapsed.TotalMilliseconds:0} ms for a 300 ms timeout");
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(290), TimeSpan.FromSeconds(3));
        Assert.Equal(0, Waiters.ActiveCount);
    }

    [Fact]
    public async Task A_message_that_arrived_before_the_call_is_returned_at_once()
    {
        var before = DateTimeOffset.UtcNow.AddMilliseconds(-1);
        await TestMail.SendAsync(_sink.SmtpPort, "arrived-early");

        var clock = Stopwatch.StartNew();
        using var response = await _http.GetAsync($"api/v1/wait?query=subject:arrived-early&after={Uri.EscapeDataString(before.ToString("O"))}&timeout=10s");
        var elapsed = clock.Elapsed;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messages")[0].GetProperty("ID").GetString()!;
        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"took {elapsed.TotalMilliseconds} ms");

        // After that message's own ID (or a time after it arrived) it no longer counts.
        using var afterId = await _http.GetAsync($"api/v1/wait?query=subject:arrived-early&after={id}&timeout=200ms");
        Assert.Equal(HttpStatusCode.RequestTimeout, afterId.StatusCode);
        using var afterLater = await _http.GetAsync($"api/v1/wait?query=subject:arrived-early&after={Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O"))}&timeout=200ms");
        Assert.Equal(HttpStatusCode.RequestTimeout, afterLater.StatusCode);
    }

    [Fact]
    public async Task A_wait_for_a_numbered_subject_finds_its_messages_among_many_sharing_the_word()
    {
        // subject:"der-11" is read from the words containing 11 (11, 110-119: eleven messages), not from the 150 with
        // ORDER: the store reads the runs of a term in turn and keeps the first to finish. The answer must be what
        // reading them all gives: every subject containing "der-11", the oldest first.
        using (var smtp = await TestMail.ConnectAsync(_sink.SmtpPort))
        {
            for (var i = 1; i <= 150; i++)
            {
                await smtp.SendAsync(TestMail.Create($"order-{i} shipped"));
            }

            await smtp.DisconnectAsync(quit: true);
        }

        using var three = await _http.GetAsync("api/v1/wait?query=" + Uri.EscapeDataString("subject:\"der-11\" subject:shipped") + "&count=3&timeout=5s");
        Assert.Equal(HttpStatusCode.OK, three.StatusCode);
        var oldest = (await three.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messages");
        Assert.Equal(
            ["order-11 shipped", "order-110 shipped", "order-111 shipped"],
            oldest.EnumerateArray().Select(m => m.GetProperty("Subject").GetString()).Order(StringComparer.Ordinal));

        // A substring, not a number: "order-17" is in order-17's subject only (order-117 has "der-117").
        using var one = await _http.GetAsync("api/v1/wait?query=" + Uri.EscapeDataString("subject:\"order-17\"") + "&count=2&timeout=300ms");
        Assert.Equal(HttpStatusCode.RequestTimeout, one.StatusCode);
        using var exact = await _http.GetAsync("api/v1/wait?query=" + Uri.EscapeDataString("subject:\"order-17\"") + "&timeout=5s");
        var found = (await exact.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messages");
        Assert.Equal(["order-17 shipped"], found.EnumerateArray().Select(m => m.GetProperty("Subject").GetString()));
    }

    [Fact]
    public async Task Waits_for_count_messages_and_returns_the_oldest_newest_first()
    {
        await TestMail.SendAsync(_sink.SmtpPort, "batch one");
        var waiting = _http.GetAsync("api/v1/wait?query=subject:batch&count=2&timeout=10s");
        await UntilAsync(() => Waiters.ActiveCount == 1);
        Assert.False(waiting.IsCompleted);

        await TestMail.SendAsync(_sink.SmtpPort, "batch two");
        await TestMail.SendAsync(_sink.SmtpPort, "batch three");
        using var response = await waiting;

        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        var subjects = page.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("Subject").GetString()).ToList();
        Assert.Equal(2, page.GetProperty("count").GetInt32());
        Assert.Equal(["batch two", "batch one"], subjects);
    }

    [Fact]
    public async Task Two_hundred_concurrent_waiters_each_get_their_own_message()
    {
        const int waiters = 200;
        var calls = Enumerable.Range(0, waiters)
            .Select(i => _http.GetAsync($"api/v1/wait?query={Uri.EscapeDataString($"subject:\"concurrent {i:D3}\"")}&timeout=60s"))
            .ToList();
        await UntilAsync(() => Waiters.ActiveCount == waiters, TimeSpan.FromSeconds(30));

        var clock = Stopwatch.StartNew();
        using (var smtp = await TestMail.ConnectAsync(_sink.SmtpPort))
        {
            for (var i = waiters - 1; i >= 0; i--)
            {
                await smtp.SendAsync(TestMail.Create($"concurrent {i:D3}"));
            }

            await smtp.DisconnectAsync(true);
        }

        var responses = await Task.WhenAll(calls);
        output.WriteLine($"{waiters} waiters answered {clock.Elapsed.TotalMilliseconds:0} ms after the first of {waiters} sends began");
        for (var i = 0; i < waiters; i++)
        {
            Assert.Equal(HttpStatusCode.OK, responses[i].StatusCode);
            var page = await responses[i].Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal($"concurrent {i:D3}", page.GetProperty("messages")[0].GetProperty("Subject").GetString());
            responses[i].Dispose();
        }

        Assert.Equal(0, Waiters.ActiveCount);
    }

    [Fact]
    public async Task A_waiter_whose_client_disconnects_is_released()
    {
        using var cancel = new CancellationTokenSource();
        var waiting = _http.GetAsync("api/v1/wait?query=subject:nobody-sends-this&timeout=5m", cancel.Token);
        await UntilAsync(() => Waiters.ActiveCount == 1);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        await UntilAsync(() => Waiters.ActiveCount == 0);
        Assert.Equal(0, Waiters.ActiveCount);
    }

    [Theory]
    [InlineData("timeout=abc", "timeout")]
    [InlineData("timeout=6m", "timeout")]
    [InlineData("timeout=-1s", "timeout")]
    [InlineData("count=0", "count")]
    [InlineData("count=x", "count")]
    [InlineData("after=yesterday", "after")]
    [InlineData("query=bogus:filter", "query")]
    public async Task Bad_parameters_are_a_400_naming_the_parameter(string parameters, string name)
    {
        using var response = await _http.GetAsync($"api/v1/wait?{parameters}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(name, problem.GetProperty("parameter").GetString());
    }

    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("500ms", 500)]
    [InlineData("2m", 120_000)]
    [InlineData("1.5", 1_500)]
    [InlineData("0", 0)]
    [InlineData(null, 30_000)]
    public void Timeout_accepts_units_and_plain_seconds(string? text, int milliseconds)
    {
        Assert.True(WaitTimeout.TryParse(text, out var timeout));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), timeout);
    }

    /// <summary>Test-side wait for server state that has no event of its own (the waiter count).</summary>
    private static async Task UntilAsync(Func<bool> condition, TimeSpan? limit = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > (limit ?? TimeSpan.FromSeconds(10)))
            {
                throw new TimeoutException("The condition did not become true in time.");
            }

            await Task.Delay(10);
        }
    }
}
