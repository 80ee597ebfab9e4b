namespace MailSink.Storage;

/// <summary>The store could not commit; SMTP answers 451 4.3.0 with <see cref="Exception.Message"/>.</summary>
internal sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
