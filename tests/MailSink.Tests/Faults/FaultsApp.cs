using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MailSink.Faults;
using MailSink.Tests.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MailSink.Tests.Faults;

/// <summary>MailSink in memory whose fault rules run on a fake clock (greylisting, rate windows, delays), the host's own clock untouched.</summary>
public sealed class FaultsApp : MailSinkApp
{
    public FaultsApp()
        : this(new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero)))
    {
    }

    private FaultsApp(FakeTimeProvider clock)
        : base(services => services.AddKeyedSingleton<TimeProvider>(FaultsServiceCollectionExtensions.TimeKey, clock))
    {
        Clock = clock;
    }

    public FakeTimeProvider Clock { get; }

    /// <summary>POSTs a rule; asserts 201 and returns the rule as the API shows it.</summary>
    public async Task<JsonNode> AddRuleAsync(object rule)
    {
        using var response = await Http.PostAsJsonAsync("/api/v1/faults", rule);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /api/v1/faults: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    public async Task ClearRulesAsync()
    {
        using var response = await Http.DeleteAsync("/api/v1/faults");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    public async Task<JsonNode> GetRuleAsync(string id) => await GetJsonAsync($"/api/v1/faults/{id}");
}
