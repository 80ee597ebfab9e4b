using MailSink;
using MailSink.Api;
using MailSink.Options;
using MailSink.Realtime;
using MailSink.Smtp;
using MailSink.Storage;

// MailSink: SMTP listeners that accept everything, a LiteDB store, an HTTP API and web inbox.
var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddMailSinkSources(args);

builder.Services.AddMailSinkOptions();
builder.Services.AddMailStorage();
builder.Services.AddSmtpSink();
builder.Services.AddMailSinkApi();
builder.Services.AddRealtime();
builder.WebHost.UseMailSinkHttpEndpoints(builder.Configuration);

return await StartupErrors.RunAsync(builder, static app =>
{
    app.UseMailSinkApiErrors();
    app.MapHealthApi();
    app.MapInfoApi();
    app.MapMessagesApi();
    app.MapSearchApi();
    app.MapSessionsApi();
    app.MapOpenApi();
    app.MapRealtime();
    app.MapWebUi();
});

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
