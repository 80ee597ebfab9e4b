namespace MailSink.Cli;

/// <summary>A switch or configuration key MailSink does not know; the message names it and the closest known one.</summary>
internal sealed class UnknownOptionException(string message) : Exception(message);
