namespace MailSink.Options;

/// <summary>One SMTP user, for listeners that check credentials (Smtp:Users:N, or Smtp:&lt;listener&gt;:Users:N).</summary>
public sealed class SmtpUserOptions
{
    /// <summary>The user name (the SASL authcid), without ':'.</summary>
    public string Name { get; set; } = "";

    /// <summary>
    /// A bcrypt hash as <c>htpasswd -B</c> writes it ($2y$...), or the plain password. AUTH CRAM-MD5 needs the
    /// plain password (RFC 2195 computes its digest from it): a bcrypt user can use PLAIN and LOGIN only.
    /// </summary>
    public string Password { get; set; } = "";
}
