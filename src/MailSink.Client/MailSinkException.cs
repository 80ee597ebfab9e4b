using System.Net;

namespace MailSink.Client;

/// <summary>MailSink answered with an error; <see cref="Exception.Message"/> carries its problem details.</summary>
public class MailSinkException : Exception
{
    /// <summary>Creates the exception from an HTTP status and the problem's title and detail.</summary>
    public MailSinkException(HttpStatusCode statusCode, string title, string? detail)
        : base(detail is { Length: > 0 } ? $"{(int)statusCode} {title}: {detail}" : $"{(int)statusCode} {title}")
    {
        StatusCode = statusCode;
        Title = title;
        Detail = detail;
    }

    /// <summary>The HTTP status code.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The problem's title (RFC 9457).</summary>
    public string Title { get; }

    /// <summary>The problem's detail (RFC 9457), a sentence saying what to change.</summary>
    public string? Detail { get; }
}
