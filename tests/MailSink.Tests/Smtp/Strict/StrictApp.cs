using MailSink.Smtp;
using MailSink.Tests.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MailSink.Tests.Smtp.Strict;

/// <summary>
/// MailSink with the strict modes on: two users (ann with a plain password, bob with a bcrypt hash), AUTH required
/// on the smtp listener, STARTTLS required on submission, bare line endings refused, a lockout after
/// <see cref="FailureLimit"/> wrong credentials, whose window runs on <see cref="Clock"/>.
/// </summary>
public sealed class StrictApp : MailSinkApp
{
    public const string Ann = "ann";
    public const string AnnPassword = "ann-secret";
    public const string Bob = "bob";
    public const string BobPassword = "bob-secret";
    public const int FailureLimit = 3;
    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(5);

    public StrictApp()
        : this(new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero)))
    {
    }

    private StrictApp(FakeTimeProvider clock)
        : base(
            services => services.AddKeyedSingleton<TimeProvider>(AuthFailureTracker.TimeKey, clock),
            settings: new Dictionary<string, string?>
            {
                ["Smtp:Users:0:Name"] = Ann,
                ["Smtp:Users:0:Password"] = AnnPassword,
                ["Smtp:Users:1:Name"] = Bob,

                // Cost 4, the lowest bcrypt allows: the tests check the format, not the work factor.
                ["Smtp:Users:1:Password"] = BCrypt.Net.BCrypt.HashPassword(BobPassword, 4),
                ["Smtp:Smtp:RequireAuth"] = "true",
                ["Smtp:Submission:RequireTls"] = "true",
                ["Smtp:BareLineEndings"] = "Reject",
                ["Smtp:AuthFailureLimit"] = $"{FailureLimit}",
                ["Smtp:AuthFailureWindow"] = "00:05:00",
            })
    {
        Clock = clock;
    }

    public FakeTimeProvider Clock { get; }
}
