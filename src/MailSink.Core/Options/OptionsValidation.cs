using Microsoft.Extensions.Options;

namespace MailSink.Options;

/// <summary>
/// Start-up checks: each failure names the option (as configured: section:key) and the bad value,
/// so "mailsink: ..." is one line a person can act on.
/// </summary>
internal sealed class SmtpOptionsValidator : IValidateOptions<SmtpOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpOptions o)
    {
        var errors = new List<string>();
        var ports = new List<(string, int)>();
        foreach (var (key, listener) in new[] { ("Smtp", o.Smtp), ("Submission", o.Submission), ("Smtps", o.Smtps) })
        {
            if (listener.Port is < 0 or > 65535)
            {
                errors.Add($"Smtp:{key}:Port (--{key.ToLowerInvariant()}-port) must be 0-65535, got {listener.Port}");
            }
            else if (listener.Enabled && listener.Port != 0)
            {
                ports.Add((key, listener.Port));
            }

            if (listener.RequireTls && listener.Tls == ListenerTls.None)
            {
                errors.Add($"Smtp:{key}:RequireTls is true but Smtp:{key}:Tls is None: no client could ever send; set Smtp:{key}:Tls=StartTls");
            }

            ValidateUsers($"Smtp:{key}:", listener.Users, listener.UsersFile, errors);
        }

        ValidateUsers("Smtp:", o.Users, o.UsersFile, errors);
        if (o.AuthFailureLimit < 0)
        {
            errors.Add($"Smtp:AuthFailureLimit must be 0 (off) or more, got {o.AuthFailureLimit}");
        }

        if (o.AuthFailureWindow < TimeSpan.FromSeconds(1))
        {
            errors.Add($"Smtp:AuthFailureWindow must be at least 00:00:01, got {o.AuthFailureWindow}");
        }

        if (!Enum.IsDefined(o.BareLineEndings))
        {
            errors.Add($"Smtp:BareLineEndings must be Accept or Reject, got {o.BareLineEndings}");
        }

        foreach (var group in ports.GroupBy(p => p.Item2).Where(g => g.Count() > 1))
        {
            errors.Add($"Smtp listeners {string.Join(" and ", group.Select(g => g.Item1))} both use port {group.Key}; give each its own port");
        }

        if (o.MaxMessageSize < 1024)
        {
            errors.Add($"Smtp:MaxMessageSize (--max-message-size) must be at least 1024 bytes, got {o.MaxMessageSize}");
        }

        if (o.MaxRecipients < 1)
        {
            errors.Add($"Smtp:MaxRecipients must be at least 1, got {o.MaxRecipients}");
        }

        if (o.MaxConnections < 1)
        {
            errors.Add($"Smtp:MaxConnections must be at least 1, got {o.MaxConnections}");
        }

        if (o.IdleTimeout < TimeSpan.FromSeconds(1))
        {
            errors.Add($"Smtp:IdleTimeout must be at least 00:00:01, got {o.IdleTimeout}");
        }

        // No upper bound tied to IdleTimeout: shortening the idle timeout alone must not fail on an option left at its default.
        if (o.TlsHandshakeTimeout < TimeSpan.FromMilliseconds(100))
        {
            errors.Add($"Smtp:TlsHandshakeTimeout must be at least 00:00:00.1, got {o.TlsHandshakeTimeout}");
        }

        foreach (var (key, value) in new[] { ("CommandTimeout", o.CommandTimeout), ("DataBlockTimeout", o.DataBlockTimeout), ("DataTimeout", o.DataTimeout) })
        {
            if (value < TimeSpan.FromMilliseconds(100))
            {
                errors.Add($"Smtp:{key} must be at least 00:00:00.1, got {value}");
            }
        }

        if (o.OversizeDiscardLimit < 0)
        {
            errors.Add($"Smtp:OversizeDiscardLimit must be 0 (ten times Smtp:MaxMessageSize) or a number of bytes, got {o.OversizeDiscardLimit}");
        }

        if (o.MaxTranscriptLines is < 100 or > 9000)
        {
            // 9,000 lines of at most 512 characters (up to 3 UTF-8 bytes each) stay under LiteDB's 16 MB document.
            errors.Add($"Smtp:MaxTranscriptLines must be 100-9000 (a session must fit one 16 MB storage document), got {o.MaxTranscriptLines}");
        }

        if (o.MaxSessionDuration < o.IdleTimeout)
        {
            errors.Add($"Smtp:MaxSessionDuration ({o.MaxSessionDuration}) must not be shorter than Smtp:IdleTimeout ({o.IdleTimeout})");
        }

        if (!string.IsNullOrEmpty(o.TlsCertificatePath) && !File.Exists(o.TlsCertificatePath))
        {
            errors.Add($"Smtp:TlsCertificatePath: file '{o.TlsCertificatePath}' does not exist");
        }

        if (!string.IsNullOrEmpty(o.TlsKeyPath) && !File.Exists(o.TlsKeyPath))
        {
            errors.Add($"Smtp:TlsKeyPath: file '{o.TlsKeyPath}' does not exist");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateUsers(string prefix, List<SmtpUserOptions> users, string file, List<string> errors)
    {
        for (var i = 0; i < users.Count; i++)
        {
            var user = users[i];
            if (user.Name.Length == 0 || user.Name.Contains(':', StringComparison.Ordinal))
            {
                errors.Add($"{prefix}Users:{i}:Name must be a user name without ':', got '{user.Name}'");
            }

            if (user.Password.Length == 0)
            {
                errors.Add($"{prefix}Users:{i}:Password must not be empty (user '{user.Name}')");
            }
        }

        if (file.Length == 0)
        {
            return;
        }

        if (!File.Exists(file))
        {
            errors.Add($"{prefix}UsersFile: file '{file}' does not exist");
            return;
        }

        try
        {
            Api.Auth.HtpasswdFile.Load(file);
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
        {
            errors.Add($"{prefix}UsersFile: '{file}': {ex.Message}");
        }
    }
}

internal sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions o)
    {
        var errors = new List<string>();
        try
        {
            BindAddresses.Parse(o.Bind);
        }
        catch (FormatException ex)
        {
            errors.Add($"Server:Bind (--bind) is invalid: {ex.Message}");
        }

        if (o.Hostname.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            errors.Add($"Server:Hostname (--hostname) must be one host name without spaces, got '{o.Hostname}'");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions o)
    {
        var errors = new List<string>();
        if (o.MaxMessages < 1)
        {
            errors.Add($"Storage:MaxMessages (--max-messages) must be at least 1, got {o.MaxMessages}");
        }

        if (o.MaxAge is { } age && age <= TimeSpan.Zero)
        {
            errors.Add($"Storage:MaxAge must be positive, got {age}");
        }

        if (o.WriteBatchSize is < 1 or > 10_000)
        {
            errors.Add($"Storage:WriteBatchSize must be 1-10000, got {o.WriteBatchSize}");
        }

        if (o.PruneInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add($"Storage:PruneInterval must be at least 00:00:01, got {o.PruneInterval}");
        }

        if (o.IsPostgres)
        {
            ValidatePostgresUri(o.Path, errors);
        }
        else if (!o.IsMemory && o.Path.Length > 0 && Directory.Exists(o.Path))
        {
            errors.Add($"Storage:Path (--storage) '{o.Path}' is a folder; give a file path or 'memory'");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>
    /// A method of its own, never inlined: compiling the caller would otherwise load Npgsql and System.Data.Common
    /// into every server, PostgreSQL or not (~2 MB of idle RSS, issue 12).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void ValidatePostgresUri(string path, List<string> errors)
    {
        try
        {
            Storage.Postgres.PostgresUri.Parse(path);
        }
        catch (FormatException ex)
        {
            // Never the value itself: it holds the password.
            errors.Add($"Storage:Path (--storage) is not a valid PostgreSQL URI: {ex.Message}");
        }
    }
}

internal sealed class WebOptionsValidator : IValidateOptions<WebOptions>
{
    public ValidateOptionsResult Validate(string? name, WebOptions o)
    {
        var errors = new List<string>();
        if (o.HttpPort is < 0 or > 65535)
        {
            errors.Add($"Web:HttpPort (--http-port) must be 0-65535, got {o.HttpPort}");
        }

        foreach (var origin in o.AllowedOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                errors.Add($"Web:AllowedOrigins: '{origin}' is not an http(s) origin such as http://localhost:5173");
            }
        }

        if (o.HtpasswdFile.Length > 0)
        {
            if (!File.Exists(o.HtpasswdFile))
            {
                errors.Add($"Web:HtpasswdFile: file '{o.HtpasswdFile}' does not exist");
            }
            else
            {
                try
                {
                    Api.Auth.HtpasswdFile.Load(o.HtpasswdFile);
                }
                catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
                {
                    errors.Add($"Web:HtpasswdFile: '{o.HtpasswdFile}': {ex.Message}");
                }
            }
        }

        // A short token is guessed by anyone who can reach the port; whitespace is a copy-paste accident.
        if (o.ApiToken.Length > 0 && (o.ApiToken.Length < 16 || o.ApiToken.Any(char.IsWhiteSpace)))
        {
            errors.Add($"Web:ApiToken must be at least 16 characters without spaces, got {o.ApiToken.Length} characters");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
