using Microsoft.AspNetCore.Http.HttpResults;

namespace MailSink.Api.Compat;

/// <summary>Mailpit's "WebUIConfiguration": what Mailpit's UI and clients read to show or hide features.</summary>
internal sealed record WebUiConfigurationDto(
    string Label,
    MessageRelayDto MessageRelay,
    bool SpamAssassin,
    bool ChaosEnabled,
    bool DuplicatesIgnored,
    bool HideDeleteAllButton);

/// <summary>The relay part of <see cref="WebUiConfigurationDto"/>.</summary>
internal sealed record MessageRelayDto(
    bool Enabled,
    string SMTPServer,
    string ReturnPath,
    string AllowedRecipients,
    string BlockedRecipients,
    string OverrideFrom,
    bool PreserveMessageIDs);

/// <summary>Mailpit's <c>GET /api/v1/webui</c>.</summary>
internal static class MailpitWebUiApi
{
    public static IEndpointRouteBuilder MapMailpitWebUiApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/webui", Get).WithTags("Mailpit compatibility");
        return app;
    }

    // Chaos is always on here (Api/Compat/ChaosApi.cs); duplicates are never dropped; SpamAssassin when a spamd is
    // configured (Diagnostics:SpamAssassin); release is reported by the
    // relay feature once it is configured, so it reads as off here until then.
    private static Ok<WebUiConfigurationDto> Get(Diagnostics.SpamAssassin.SpamdClient spamd) => TypedResults.Ok(new WebUiConfigurationDto(
        "",
        new MessageRelayDto(false, "", "", "", "", "", false),
        spamd.Configured,
        ChaosEnabled: true,
        DuplicatesIgnored: false,
        HideDeleteAllButton: false));
}
