using System.Net;
using System.Net.Http.Json;

namespace MailSink.Client;

public sealed partial class MailSinkClient
{
    /// <summary>
    /// Adds a fault rule, in force from the next SMTP command; dispose the handle to delete it.
    /// A rule the server cannot use throws <see cref="MailSinkException"/> naming the field.
    /// </summary>
    public async Task<FaultHandle> AddFaultAsync(Fault fault, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fault);
        using var content = JsonContent.Create(fault, options: Json);
        using var response = await _http.PostAsync(new Uri(BaseAddress, "api/v1/faults"), content, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var rule = await response.Content.ReadFromJsonAsync<FaultRule>(Json, cancellationToken).ConfigureAwait(false)
            ?? throw new MailSinkException(response.StatusCode, "Empty response", "POST api/v1/faults returned no rule.");
        return new FaultHandle(this, rule);
    }

    /// <summary>Every fault rule in force, with how often each fired.</summary>
    public Task<IReadOnlyList<FaultRule>> ListFaultsAsync(CancellationToken cancellationToken = default) =>
        GetJsonAsync<IReadOnlyList<FaultRule>>("api/v1/faults", cancellationToken);

    /// <summary>One fault rule by ID.</summary>
    public Task<FaultRule> GetFaultAsync(string id, CancellationToken cancellationToken = default) =>
        GetJsonAsync<FaultRule>($"api/v1/faults/{Escape(id)}", cancellationToken);

    /// <summary>Deletes every fault rule (and turns the Jim and Chaos compatibility modes off).</summary>
    public Task DeleteAllFaultsAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, "api/v1/faults", null, cancellationToken);

    internal async Task DeleteFaultAsync(string id, bool ignoreMissing, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(BaseAddress, $"api/v1/faults/{Escape(id)}"));
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (ignoreMissing && response.StatusCode == HttpStatusCode.NotFound)
        {
            return;
        }

        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }
}
