using MailSink.Api.Auth;
using MailSink.Options;
using Microsoft.Extensions.Options;

namespace MailSink.Smtp;

/// <summary>
/// The users each listener checks AUTH against: its own Users and UsersFile, or else the Smtp-wide ones;
/// null when none are configured (the default: any credentials are accepted). Read once, at start-up,
/// after the options were validated (SmtpOptionsValidator names a bad file or user).
/// </summary>
internal sealed class SmtpUserDirectory
{
    private readonly HtpasswdFile? _shared;
    private readonly Dictionary<ListenerOptions, HtpasswdFile?> _byListener = new(ReferenceEqualityComparer.Instance);

    public SmtpUserDirectory(IOptions<SmtpOptions> options)
    {
        var o = options.Value;
        _shared = Load(o.Users, o.UsersFile);
        foreach (var listener in new[] { o.Smtp, o.Submission, o.Smtps })
        {
            _byListener[listener] = Load(listener.Users, listener.UsersFile) ?? _shared;
        }
    }

    /// <summary>The users <paramref name="listener"/> checks, or null when it accepts any credentials.</summary>
    public HtpasswdFile? For(ListenerOptions listener) => _byListener.TryGetValue(listener, out var users) ? users : _shared;

    private static HtpasswdFile? Load(List<SmtpUserOptions> users, string file)
    {
        if (users.Count == 0 && file.Length == 0)
        {
            return null;
        }

        // Users in configuration win over a file entry of the same name.
        var fromFile = file.Length > 0 ? HtpasswdFile.Load(file).Entries : [];
        return HtpasswdFile.FromUsers(fromFile.Concat(users.Select(u => KeyValuePair.Create(u.Name, u.Password))));
    }
}
