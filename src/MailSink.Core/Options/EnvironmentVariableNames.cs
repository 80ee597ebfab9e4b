namespace MailSink.Options;

/// <summary>
/// The one owner of the <c>MAILSINK_</c> prefix: the server reads its configuration from these variables,
/// --help and the README print them, healthcheck and sendmail look theirs up.
/// </summary>
internal static class EnvironmentVariableNames
{
    public const string Prefix = "MAILSINK_";

    /// <summary>Where <c>mailsink sendmail</c> submits when no -S/--server is given (not a server option).</summary>
    public const string SendmailServer = Prefix + "SENDMAIL_SERVER";

    /// <summary>
    /// The variable for a configuration key, spelled as the key is (<c>Server:Bind</c> is <c>MAILSINK_Server__Bind</c>).
    /// The configuration system matches the prefix and the key ignoring case, so MAILSINK_SERVER__BIND works too
    /// even though Linux variable names are case-sensitive; the docs use one spelling, this one.
    /// </summary>
    public static string Of(string key) => Prefix + key.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>The configuration key a prefixed variable sets, or null when the variable is not ours.</summary>
    public static string? KeyOf(string variable) =>
        variable.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? variable[Prefix.Length..].Replace("__", ":", StringComparison.Ordinal) : null;
}
