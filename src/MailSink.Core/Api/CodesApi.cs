using MailSink.Contracts;
using MailSink.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MailSink.Api;

/// <summary>/api/v1/codes: SMTP reply and enhanced status codes with meaning and usual fix (one table for server and UI).</summary>
internal static class CodesApi
{
    private static readonly IReadOnlyList<SmtpStatusCodeDto> All = [.. SmtpStatusCodeTable.All.Select(SmtpStatusCodeDto.From)];

    internal static Ok<IReadOnlyList<SmtpStatusCodeDto>> List() => TypedResults.Ok(All);
}
