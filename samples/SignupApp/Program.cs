using System.Net.Mail;
using SignupApp;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSingleton(sp => SmtpSettings.Read(sp.GetRequiredService<IConfiguration>()));
builder.Services.AddSingleton<SignupMailer>();

var app = builder.Build();

app.MapPost("/signup", async (SignupRequest request, SignupMailer mailer, HttpContext http, CancellationToken cancellationToken) =>
{
    if (!MailAddress.TryCreate(request.Email, out _))
    {
        return Results.Problem($"'{request.Email}' is not an email address.", statusCode: StatusCodes.Status400BadRequest);
    }

    var token = Guid.NewGuid().ToString("N");
    var confirmLink = new Uri($"{http.Request.Scheme}://{http.Request.Host}/confirm/{token}");
    await mailer.SendWelcomeAsync(request.Email, confirmLink, cancellationToken);
    return Results.Accepted();
});

app.Run();

public sealed record SignupRequest(string Email);

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
