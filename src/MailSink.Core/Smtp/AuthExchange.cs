using System.Text;
using MailSink.Api.Auth;

namespace MailSink.Smtp;

/// <summary>
/// The SASL exchange of RFC 4954 for PLAIN (RFC 4616), LOGIN and CRAM-MD5 (RFC 2195), answered by MailSink on the wire.
/// SmtpServer 11.1.0's AUTH answers a PLAIN token without NULs twice (every later reply then answers
/// the previous command), drops the connection without a reply on bad base64 or "*" (an uncaught
/// FormatException), and says 502 where RFC 4954 says 501 5.5.2. Its commands are internal and cannot
/// be replaced (FIELD-NOTES), so the library never sees AUTH: each AUTH line and continuation is
/// answered here with exactly one reply. By default any credentials are accepted and the user name is
/// recorded; with users configured (<see cref="ListenerPolicy.Users"/>) wrong ones get 535 5.7.8.
/// </summary>
internal sealed class AuthExchange(HtpasswdFile? users = null, string hostname = "localhost", TimeProvider? time = null)
{
    private const string BadCredentials = "535 5.7.8 Authentication credentials invalid";

    private enum Step
    {
        None,
        PlainResponse,
        LoginUser,
        LoginPassword,
        CramResponse,
    }

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private Step _step;
    private string? _loginUser;
    private string? _challenge;

    /// <summary>A 334 challenge is out and the next client line answers it.</summary>
    public bool InProgress => _step != Step.None;

    /// <summary>The next client line is the AUTH LOGIN user name (the transcript shows it, not the password).</summary>
    public bool ExpectsUserName => _step == Step.LoginUser;

    /// <summary>The next client line answers a CRAM-MD5 challenge ("user SP digest", RFC 2195).</summary>
    public bool ExpectsCramResponse => _step == Step.CramResponse;

    /// <summary>The authenticated user (authcid), once an exchange succeeded.</summary>
    public string? User { get; private set; }

    /// <summary>True once the exchange ended without success (refused, cancelled or malformed).</summary>
    public bool LastFailed { get; private set; }

    /// <summary>True when the last exchange failed because the configured users do not include these credentials.</summary>
    public bool CredentialsRejected { get; private set; }

    /// <summary>
    /// Asked with the user name before an exchange succeeds: a reply (a fault rule's, Faults/) refuses the
    /// credentials with it; null lets them in.
    /// </summary>
    public Func<string, string?>? Refusal { get; set; }

    /// <summary>RFC 3207 section 4.2: after STARTTLS the server forgets what the client told it, AUTH included.</summary>
    public void Reset()
    {
        _step = Step.None;
        _loginUser = null;
        _challenge = null;
        User = null;
    }

    /// <summary>The reply to an AUTH command line, given what the session allows now.</summary>
    public string Command(string line, bool helloDone, bool inTransaction, bool encryptionRequired)
    {
        LastFailed = false;
        CredentialsRejected = false;
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (!helloDone)
        {
            return Fail("503 5.5.1 Send EHLO first");
        }

        if (User is not null)
        {
            // RFC 4954 section 4: no more AUTH after one succeeded.
            return Fail("503 5.5.1 Already authenticated");
        }

        if (inTransaction)
        {
            // RFC 4954 section 4: AUTH during a mail transaction MUST get 503.
            return Fail("503 5.5.1 AUTH not permitted during a mail transaction");
        }

        if (parts.Length is < 2 or > 3)
        {
            return Fail("501 5.5.4 Syntax: AUTH mechanism [initial-response]");
        }

        if (encryptionRequired)
        {
            // RFC 4954 section 6 (538), for listeners that only take credentials over TLS.
            return Fail("538 5.7.11 Encryption required for requested authentication mechanism");
        }

        var initial = parts.Length == 3 ? parts[2] : null;
        switch (parts[1].ToUpperInvariant())
        {
            case "PLAIN":
                if (initial is null)
                {
                    _step = Step.PlainResponse;
                    return "334 ";
                }

                return Plain(initial);
            case "LOGIN":
                if (initial is null)
                {
                    _step = Step.LoginUser;
                    return "334 VXNlcm5hbWU6";
                }

                return LoginUser(initial);
            case "CRAM-MD5":
                if (initial is not null)
                {
                    // RFC 2195 section 2: the server speaks first, so there is no initial response.
                    return Fail("501 5.5.4 CRAM-MD5 takes no initial response (RFC 2195)");
                }

                _challenge = CramMd5.NewChallenge(hostname, _time);
                _step = Step.CramResponse;
                return "334 " + Convert.ToBase64String(Encoding.ASCII.GetBytes(_challenge));
            default:
                return Fail("504 5.5.4 Unrecognized authentication type");
        }
    }

    /// <summary>The reply to a client line answering a 334 challenge.</summary>
    public string Continuation(string line)
    {
        LastFailed = false;
        CredentialsRejected = false;
        var step = _step;
        _step = Step.None;
        if (line == "*")
        {
            // RFC 4954 section 4: the client cancels the exchange.
            return Fail("501 5.7.0 Authentication cancelled");
        }

        return step switch
        {
            Step.PlainResponse => Plain(line),
            Step.LoginUser => LoginUser(line),
            Step.CramResponse => CramResponse(line),
            _ => LoginPassword(line),
        };
    }

    private string Plain(string base64)
    {
        if (Decode(base64) is not { } decoded)
        {
            return Fail(InvalidBase64);
        }

        // RFC 4616 section 2: [authzid] NUL authcid NUL passwd.
        var fields = decoded.Split('\0');
        if (fields.Length != 3 || fields[1].Length == 0)
        {
            return Fail("535 5.7.8 Authentication credentials invalid: a PLAIN response is authzid NUL authcid NUL password (RFC 4616)");
        }

        return Succeed(fields[1], users?.Verify(fields[1], fields[2]) ?? true);
    }

    private string LoginUser(string base64)
    {
        if (Decode(base64) is not { } user)
        {
            return Fail(InvalidBase64);
        }

        _loginUser = user;
        _step = Step.LoginPassword;
        return "334 UGFzc3dvcmQ6";
    }

    private string LoginPassword(string base64)
    {
        if (Decode(base64) is not { } password)
        {
            return Fail(InvalidBase64);
        }

        var user = _loginUser ?? "";
        return Succeed(user, users?.Verify(user, password) ?? true);
    }

    private string CramResponse(string base64)
    {
        var challenge = _challenge ?? "";
        _challenge = null;
        if (Decode(base64) is not { } decoded)
        {
            return Fail(InvalidBase64);
        }

        if (CramMd5.Parse(decoded) is not var (user, digest))
        {
            return Fail("535 5.7.8 Authentication credentials invalid: a CRAM-MD5 response is user SP 32 hex digits (RFC 2195)");
        }

        // Checking the digest needs the plain password: a bcrypt user cannot use CRAM-MD5 (README, strict modes).
        var valid = users is null || (users.PlainPassword(user) is { } password && CramMd5.Verify(challenge, password, digest));
        return Succeed(user, valid);
    }

    private string Succeed(string user, bool credentialsValid)
    {
        if (Refusal?.Invoke(user) is { } refusal)
        {
            return Fail(refusal);
        }

        if (!credentialsValid)
        {
            CredentialsRejected = true;
            return Fail(BadCredentials);
        }

        User = user;
        _loginUser = null;
        return "235 2.7.0 Authentication successful";
    }

    private string Fail(string reply)
    {
        _step = Step.None;
        _loginUser = null;
        _challenge = null;
        LastFailed = true;
        return reply;
    }

    /// <summary>RFC 4954 section 4: a response that cannot be base64-decoded gets 501 5.5.2.</summary>
    private const string InvalidBase64 = "501 5.5.2 Cannot decode response: invalid base64";

    /// <summary>"=" is an empty response (RFC 4954 section 4); anything else must be strict base64.</summary>
    private static string? Decode(string text)
    {
        if (text == "=")
        {
            return "";
        }

        var buffer = new byte[text.Length];
        return text.Length > 0 && Convert.TryFromBase64String(text, buffer, out var written) ? Encoding.UTF8.GetString(buffer, 0, written) : null;
    }
}
