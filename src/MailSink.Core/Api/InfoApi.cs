using MailSink.Contracts;
using MailSink.Hosting;
using MailSink.Options;
using MailSink.Smtp;
using MailSink.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MailSink.Api;

/// <summary>/api/v1/info (Mailpit "AppInformation" plus listeners).</summary>
internal static class InfoApi
{
    internal static async Task<Ok<InfoDto>> InfoAsync(IMailStore store, TagCounts tagCounts, HostUptime uptime, SmtpCounters counters, SmtpEndpoints endpoints, DataDirectory data, Compat.DeletedMessagesCounter deleted, CancellationToken cancellationToken)
    {
        var stats = await store.GetStatsAsync(cancellationToken);
        var tags = await tagCounts.GetAsync(cancellationToken);
        return TypedResults.Ok(new InfoDto(
            BuildInfo.Version,

            // Mailpit's answer when its release check is off: MailSink never calls home.
            "disabled",
            stats.Total,
            stats.Unread,
            stats.Sessions,
            stats.DatabaseBytes,
            data.StorageName,
            tags,
            new RuntimeStatsDto(
                (long)uptime.Elapsed.TotalSeconds,
                GC.GetTotalMemory(false),
                counters.Accepted,
                counters.AcceptedBytes,
                counters.Rejected,

                // Mailpit counts messages dropped by --ignore-duplicate-ids; MailSink keeps every message.
                0,
                deleted.Deleted),
            endpoints.All.Select(e => new ListenerDto(e.Name, e.EndPoint.Address.ToString(), e.EndPoint.Port, e.Tls)).ToList()));
    }
}
