using System.Diagnostics;
using System.Net;
using System.Text;
using MailSink.Hosting;
using Xunit.Abstractions;

namespace MailSink.Client.Tests;

/// <summary>The client against an in-process server, the way a .NET test suite would use both.</summary>
public sealed class MailSinkClientTests(ITestOutputHelper output) : IAsyncLifetime
{
    private MailSinkServer _sink = null!;

    public async Task InitializeAsync() => _sink = await MailSinkServer.StartAsync(new MailSinkServerOptions { EnableTlsListeners = false });

    public async Task DisposeAsync() => await _sink.DisposeAsync();

    [Fact]
    public async Task WaitForMessageAsync_returns_the_message_sent_while_waiting()
    {
        var waiting = _sink.Client.WaitForMessageAsync("to:ann@example.com subject:Welcome", TimeSpan.FromSeconds(10));
        await Mail.SendAsync(_sink.SmtpPort, Mail.Welcome("ann@example.com"));

        var message = await waiting;

        Assert.Equal("Welcome", message.Subject);
        Assert.Equal("ann@example.com", message.To.Single().Email);
        Assert.Contains("Confirm your address", message.Text);
        Assert.Contains("<a href=", message.Html);
        Assert.Equal(["https://app.example/confirm?token=abc&user=42", "https://app.example/help"], message.Links());
        Assert.Equal("https://app.example/confirm?token=abc&user=42", message.FindLink("/confirm"));

        var terms = message.Attachments.Single();
        Assert.Equal("terms.txt", terms.FileName);
        Assert.Equal("Terms and conditions", Encoding.UTF8.GetString(await _sink.Client.GetAttachmentAsync(message.Id, terms)));
    }

    [Fact]
    public async Task WaitForMessageAsync_times_out_with_a_TimeoutException()
    {
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<TimeoutException>(() => _sink.Client.WaitForMessageAsync("subject:never", TimeSpan.FromMilliseconds(300)));
        Assert.Contains("subject:never", error.Message);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(290), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task The_predicate_overload_walks_past_messages_that_do_not_satisfy_it()
    {
        await Mail.SendAsync(_sink.SmtpPort, Mail.Welcome("zoe@example.com", "Reset", "https://app.example/reset?t=old"));
        await Mail.SendAsync(_sink.SmtpPort, Mail.Welcome("zoe@example.com", "Reset", "https://app.example/reset?t=stale"));
        var waiting = _sink.Client.WaitForMessageAsync("subject:Reset", m => m.FindLink("t=new") is not null, TimeSpan.FromSeconds(10));
        await Mail.SendAsync(_sink.SmtpPort, Mail.Welcome("zoe@example.com", "Reset", "https://app.example/reset?t=new"));

        var message = await waiting;

        Assert.Equal("https://app.example/reset?t=new", message.FindLink("/reset"));
    }

    [Fact]
    public async Task Typed_methods_cover_list_search_raw_headers_transcript_session_and_deletes()
    {
        await Mail.SendAsync(_sink.SmtpPort, Mail.Welcome("one@example.com", "first"));
        await Mail.SendAsync(_sink.SmtpPort, Mail.Welcome("two@example.com", "second"));
        await Mail.SendAsync(_sink.SmtpPort, Mail.Welcome("three@example.com", "third"));
        var found = await _sink.Client.WaitForMessagesAsync(null, 3, TimeSpan.FromSeconds(10));
        Assert.Equal(["first", "second", "third"], found.Select(m => m.Subject));

        var list = await _sink.Client.ListAsync();
        Assert.Equal(3, list.Total);
        Assert.Equal("third", list.Messages[0].Subject);

        var search = await _sink.Client.SearchAsync("to:two@example.com");
        var second = Assert.Single(search.Messages);

        var raw = Encoding.UTF8.GetString(await _sink.Client.GetRawAsync(second.Id));
        Assert.Contains("Subject: second", raw);

        var headers = await _sink.Client.GetHeadersAsync(second.Id);
        Assert.Equal("second", headers.Single(h => h.Name == "Subject").Value);

        var transcript = await _sink.Client.GetTranscriptAsync(second.Id);
        Assert.Contains(transcript.Transaction, l => l.Direction == "client" && l.Text.StartsWith("MAIL FROM", StringComparison.OrdinalIgnoreCase));

        var session = await _sink.Client.GetSessionAsync(second.SessionId);
        Assert.Contains(second.Id, session.MessageIds);
        Assert.NotEmpty(session.Lines);

        await _sink.Client.DeleteAsync(second.Id);
        var missing = await Assert.ThrowsAsync<MailSinkException>(() => _sink.Client.GetAsync(second.Id));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        await _sink.Client.DeleteMatchingAsync("subject:first");
        Assert.Equal(["third"], (await _sink.Client.ListAsync()).Messages.Select(m => m.Subject));

        await _sink.Client.DeleteAllAsync();
        Assert.Equal(0, (await _sink.Client.ListAsync()).Total);
    }

    [Fact]
    public async Task Two_servers_in_parallel_stay_isolated()
    {
        await using var other = await MailSinkServer.StartAsync(new MailSinkServerOptions { EnableTlsListeners = false });
        Assert.NotEqual(_sink.SmtpPort, other.SmtpPort);
        Assert.NotEqual(_sink.BaseAddress, other.BaseAddress);

        await Task.WhenAll(
            Mail.SendAsync(_sink.SmtpPort, Mail.Welcome("a@example.com", "for the first")),
            Mail.SendAsync(other.SmtpPort, Mail.Welcome("b@example.com", "for the second")));
        await _sink.Client.WaitForMessageAsync("subject:first", TimeSpan.FromSeconds(10));
        await other.Client.WaitForMessageAsync("subject:second", TimeSpan.FromSeconds(10));

        Assert.Equal(["for the first"], (await _sink.Client.ListAsync()).Messages.Select(m => m.Subject));
        Assert.Equal(["for the second"], (await other.Client.ListAsync()).Messages.Select(m => m.Subject));
        output.WriteLine($"first: smtp {_sink.SmtpPort} http {_sink.BaseAddress}; second: smtp {other.SmtpPort} http {other.BaseAddress}");
    }

    [Fact]
    public async Task Server_errors_surface_as_MailSinkException_with_the_problem()
    {
        var error = await Assert.ThrowsAsync<MailSinkException>(() => _sink.Client.SearchAsync("nosuchfilter:x"));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.False(string.IsNullOrEmpty(error.Detail));
    }

    [Fact]
    public void Links_of_a_text_only_message_are_its_urls()
    {
        var message = new Message { Text = "Click https://app.example/a?x=1. Or (https://app.example/b)" };

        Assert.Equal(["https://app.example/a?x=1", "https://app.example/b"], message.Links());
    }

    [Fact]
    public async Task WatchAsync_streams_arrivals_that_match_the_query()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var seen = new List<string>();
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watching = Task.Run(async () =>
        {
            await foreach (var m in _sink.Client.WatchAsync("to:watched@example.com", connected.SetResult, cancel.Token))
            {
                seen.Add(m.Subject);
                if (seen.Count == 2)
                {
                    break;
                }
            }
        });
        await connected.Task.WaitAsync(cancel.Token);
        await Mail.SendAsync(_sink.SmtpPort, Mail.Welcome("watched@example.com", "w1"));
        await Mail.SendAsync(_sink.SmtpPort, Mail.Welcome("other@example.com", "ignored"));
        await Mail.SendAsync(_sink.SmtpPort, Mail.Welcome("watched@example.com", "w2"));
        await watching;

        Assert.Equal(["w1", "w2"], seen);
    }
}
