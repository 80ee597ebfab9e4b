using MailSink.Faults;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MailSink.Api.Compat;

/// <summary>Mailpit's <c>/api/v1/chaos</c> (always enabled here), carried out as fault rules <c>chaos-*</c>.</summary>
internal static class ChaosApi
{
    public static IEndpointRouteBuilder MapChaosApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/chaos").WithTags("Mailpit compatibility");
        api.MapGet("", Get);
        api.MapPut("", Set);
        return app;
    }

    private static Ok<ChaosTriggers> Get(FaultCompatState compat) => TypedResults.Ok(compat.Chaos);

    private static Results<Ok<ChaosTriggers>, ProblemHttpResult> Set(ChaosTriggers? triggers, FaultCompatState compat) =>
        compat.SetChaos(triggers ?? new ChaosTriggers()) is { } error
            ? ApiProblems.BadParameter(error.Field, error.Detail)
            : TypedResults.Ok(compat.Chaos);
}
