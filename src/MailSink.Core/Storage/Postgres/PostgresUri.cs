using Npgsql;

namespace MailSink.Storage.Postgres;

/// <summary>
/// <c>postgresql://user:password@host:port/database</c> (or <c>postgres://</c>), the form libpq and every hosted
/// PostgreSQL hand out, turned into Npgsql's connection string (Npgsql itself takes only key=value strings).
/// A few libpq query parameters are understood; any other is refused rather than silently ignored.
/// </summary>
internal static class PostgresUri
{
    private static readonly string[] Schemes = ["postgresql://", "postgres://"];

    /// <summary>Whether Storage:Path asks for PostgreSQL (then it must parse, else start-up fails naming the option).</summary>
    public static bool IsPostgres(string? path) =>
        path is not null && Schemes.Any(s => path.StartsWith(s, StringComparison.OrdinalIgnoreCase));

    /// <summary>The connection settings of <paramref name="uri"/>; a <see cref="FormatException"/> says what is wrong, never the password.</summary>
    public static NpgsqlConnectionStringBuilder Parse(string uri)
    {
        if (!IsPostgres(uri) || !Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
        {
            throw new FormatException("expected postgresql://user:password@host:port/database");
        }

        if (parsed.IdnHost.Length == 0)
        {
            throw new FormatException("the host is missing (postgresql://user:password@host:port/database)");
        }

        var database = Uri.UnescapeDataString(parsed.AbsolutePath.TrimStart('/'));
        if (database.Length == 0 || database.Contains('/', StringComparison.Ordinal))
        {
            throw new FormatException("the database name is missing (postgresql://user:password@host:port/database)");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = parsed.IdnHost.Trim('[', ']'),
            Port = parsed.IsDefaultPort || parsed.Port < 0 ? 5432 : parsed.Port,
            Database = database,
            ApplicationName = "mailsink",
        };

        var userInfo = parsed.UserInfo;
        if (userInfo.Length > 0)
        {
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(userInfo[(colon + 1)..]);
            }
        }

        foreach (var pair in parsed.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            Apply(builder, key, value);
        }

        return builder;
    }

    /// <summary>The URI without its password, for logs and /api/v1/info.</summary>
    public static string Redact(string uri)
    {
        var start = uri.IndexOf("://", StringComparison.Ordinal) + 3;
        var end = uri.IndexOf('/', start) is var slash and >= 0 ? slash : uri.Length;
        var authority = uri[start..end];
        var at = authority.LastIndexOf('@');
        var colon = authority.IndexOf(':', StringComparison.Ordinal);
        return start < 3 || at < 0 || colon < 0 || colon > at ? uri : $"{uri[..(start + colon + 1)]}***{uri[(start + at)..]}";
    }

    private static void Apply(NpgsqlConnectionStringBuilder builder, string key, string value)
    {
        switch (key)
        {
            case "sslmode":
                builder.SslMode = value switch
                {
                    "disable" => SslMode.Disable,
                    "allow" => SslMode.Allow,
                    "prefer" => SslMode.Prefer,
                    "require" => SslMode.Require,
                    "verify-ca" => SslMode.VerifyCA,
                    "verify-full" => SslMode.VerifyFull,
                    _ => throw new FormatException($"sslmode must be disable, allow, prefer, require, verify-ca or verify-full, got '{value}'"),
                };
                break;
            case "application_name":
                builder.ApplicationName = value;
                break;
            case "connect_timeout":
                builder.Timeout = int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= 1024
                    ? seconds
                    : throw new FormatException($"connect_timeout must be 1-1024 seconds, got '{value}'");
                break;
            default:
                throw new FormatException($"the parameter '{key}' is not supported (sslmode, application_name, connect_timeout are)");
        }
    }
}
