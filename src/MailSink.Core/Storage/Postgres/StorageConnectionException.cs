namespace MailSink.Storage.Postgres;

/// <summary>
/// The PostgreSQL server of Storage:Path cannot be used at start-up (unreachable, refused the password, no such
/// database). The message is one line naming the option and the host, never the password; start-up ends with it.
/// </summary>
internal sealed class StorageConnectionException(string message, Exception innerException) : Exception(message, innerException);
