namespace MailSink.Relay;

/// <summary>A resolved server to release to: where, how secured, and with which credentials.</summary>
internal sealed record RelayTarget(string Host, int Port, RelayTls Tls, bool AllowInsecure, RelayAuth Auth, string Username, string Password)
{
    /// <summary>"host:port", for problems and logs (never the credentials).</summary>
    public string Address => $"{Host}:{Port}";

    public override string ToString() => Address;
}
