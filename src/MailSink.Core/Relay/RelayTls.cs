namespace MailSink.Relay;

/// <summary>How the connection to a relay is secured.</summary>
internal enum RelayTls
{
    None,
    StartTls,
    Implicit,
}

/// <summary>The authentication mechanism MailSink uses at a relay.</summary>
internal enum RelayAuth
{
    None,
    Plain,
    Login,
    CramMd5,
}

/// <summary>Parses the option strings; MailHog's spellings (PLAIN, CRAMMD5, any case) are accepted.</summary>
internal static class RelayNames
{
    public static bool TryParseTls(string? value, out RelayTls tls)
    {
        tls = (value ?? "").Trim().ToLowerInvariant() switch
        {
            "" or "none" => RelayTls.None,
            "starttls" => RelayTls.StartTls,
            "tls" or "implicit" or "ssl" => RelayTls.Implicit,
            _ => (RelayTls)(-1),
        };
        return Enum.IsDefined(tls);
    }

    public static bool TryParseAuth(string? value, out RelayAuth auth)
    {
        auth = (value ?? "").Trim().ToUpperInvariant() switch
        {
            "" or "NONE" => RelayAuth.None,
            "PLAIN" => RelayAuth.Plain,
            "LOGIN" => RelayAuth.Login,
            "CRAM-MD5" or "CRAMMD5" => RelayAuth.CramMd5,
            _ => (RelayAuth)(-1),
        };
        return Enum.IsDefined(auth);
    }
}
