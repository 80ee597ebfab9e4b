using MailSink.Api.Wait;
using Microsoft.AspNetCore.Diagnostics;

namespace MailSink.Api;

/// <summary>
/// JSON shape and problem details for the HTTP API. OpenAPI is not registered here: its generator is built on the
/// first document request (<see cref="OpenApiOnDemand"/>).
/// </summary>
internal static class ApiServiceCollectionExtensions
{
    public static IServiceCollection AddMailSinkApi(this IServiceCollection services)
    {
        // Mailpit's JSON uses the property names as declared (PascalCase), not camelCase.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = null);
        services.AddProblemDetails();
        services.AddSingleton<MessageWaiters>();
        services.AddSingleton<TagCounts>();
        services.AddSingleton<Compat.LinkCheck.LinkChecker>();
        services.AddSingleton<Compat.DeletedMessagesCounter>();
        return services;
    }

    /// <summary>Unhandled errors become a 500 problem without a stack trace; bare status codes on /api get a problem body.</summary>
    public static WebApplication UseMailSinkApiErrors(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        return app;
    }
}
