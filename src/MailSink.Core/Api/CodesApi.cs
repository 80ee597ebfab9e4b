using MailSink.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MailSink.Api;

/// <summary>/api/v1/codes: SMTP reply and enhanced status codes with meaning and usual fix (one table for server and UI).</summary>
internal static class CodesApi
{
    internal static Ok<IReadOnlyList<SmtpStatusCode>> List() => TypedResults.Ok(SmtpStatusCodeTable.All);
}
