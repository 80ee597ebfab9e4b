namespace MailSink.Diagnostics.Spf;

/// <summary>Ends check_host() at once with permerror, temperror or not-evaluated, wherever in the include chain it happens.</summary>
internal sealed class SpfAbort(string result, string mechanism, string domain, string reason) : Exception(reason)
{
    public string Result => result;
    public string Mechanism => mechanism;
    public string Domain => domain;
}
