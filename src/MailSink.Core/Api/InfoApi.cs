using System.Reflection;
using MailSink.Hosting;
using MailSink.Options;
using MailSink.Smtp;
using MailSink.Storage;
using Microsoft.Extensions.Options;

namespace MailSink.Api;

/// <summary>/api/v1/info (Mailpit "AppInformation" plus listeners) and the health probes.</summary>
internal static class InfoApi
{
    public static string Version { get; } =
        typeof(InfoApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static IEndpointRouteBuilder MapInfoApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/info", InfoAsync).WithTags("Info");
        return app;
    }

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/livez", () => TypedResults.Text("ok")).WithTags("Health");
        app.MapGet("/readyz", ReadyAsync).WithTags("Health");
        return app;
    }

    private static async Task<IResult> InfoAsync(IMailStore store, HostUptime uptime, SmtpCounters counters, SmtpEndpoints endpoints, DataDirectory data, Compat.DeletedMessagesCounter deleted, CancellationToken cancellationToken)
    {
        var stats = await store.GetStatsAsync(cancellationToken);
        return TypedResults.Ok(new
        {
            Version,

            // Mailpit's answer when its release check is off: MailSink never calls home.
            LatestVersion = "disabled",
            Tags = await TagCountsAsync(store, cancellationToken),
            Messages = stats.Total,
            Unread = stats.Unread,
            Sessions = stats.Sessions,
            DatabaseSize = stats.DatabaseBytes,
            Database = data.DatabasePath ?? "memory",
            RuntimeStats = new
            {
                Uptime = (long)uptime.Elapsed.TotalSeconds,
                Memory = GC.GetTotalMemory(false),
                SMTPAccepted = counters.Accepted,
                SMTPAcceptedSize = counters.AcceptedBytes,
                SMTPRejected = counters.Rejected,

                // Mailpit counts messages dropped by --ignore-duplicate-ids; MailSink keeps every message.
                SMTPIgnored = 0L,
                MessagesDeleted = deleted.Deleted,
            },
            Listeners = endpoints.All.Select(e => new { e.Name, Address = e.EndPoint.Address.ToString(), e.EndPoint.Port, e.Tls }).ToList(),
        });
    }

    /// <summary>Mailpit's "Tags": each tag with the number of messages carrying it.</summary>
    private static async Task<SortedDictionary<string, long>> TagCountsAsync(IMailStore store, CancellationToken cancellationToken)
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await store.ListMessagesAsync(0, 0, m =>
        {
            lock (counts)
            {
                foreach (var tag in m.Tags)
                {
                    counts[tag] = counts.GetValueOrDefault(tag) + 1;
                }
            }

            return false;
        }, cancellationToken);
        return counts;
    }

    private static async Task<IResult> ReadyAsync(IMailStore store, SmtpEndpoints endpoints, CancellationToken cancellationToken)
    {
        StoreStats stats;
        try
        {
            stats = await store.GetStatsAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is StoreUnavailableException or IOException or ObjectDisposedException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Storage unavailable", detail: ex.Message);
        }

        if (stats.WritesRefused is { } reason)
        {
            // Reads still work, but SMTP answers 451 to every message: not ready to receive mail.
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Storage is refusing new mail",
                detail: $"New messages are answered 451 4.3.0 because {reason}. Free some space (or delete messages); mail is accepted again within seconds, without a restart.");
        }

        return endpoints.All.Count == 0
            ? TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "No SMTP listener is bound", detail: "MailSink cannot receive mail yet.")
            : TypedResults.Text("ok");
    }
}
