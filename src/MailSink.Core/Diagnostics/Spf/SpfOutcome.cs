namespace MailSink.Diagnostics.Spf;

/// <summary>What one check_host() call returned and which directive of which record decided it.</summary>
internal sealed record SpfOutcome(string Result, string Mechanism, string Domain, string Reason = "");
