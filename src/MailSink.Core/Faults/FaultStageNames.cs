namespace MailSink.Faults;

/// <summary>The names stages have in the API and configuration ("end-of-data", not "EndOfData").</summary>
internal static class FaultStageNames
{
    private static readonly Dictionary<string, FaultStage> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["connect"] = FaultStage.Connect,
        ["ehlo"] = FaultStage.Ehlo,
        ["helo"] = FaultStage.Ehlo,
        ["starttls"] = FaultStage.StartTls,
        ["auth"] = FaultStage.Auth,
        ["mail"] = FaultStage.Mail,
        ["rcpt"] = FaultStage.Rcpt,
        ["data"] = FaultStage.Data,
        ["end-of-data"] = FaultStage.EndOfData,
    };

    public static string All => "connect, ehlo, starttls, auth, mail, rcpt, data, end-of-data";

    public static bool TryParse(string? name, out FaultStage stage) => ByName.TryGetValue(name ?? "", out stage);

    public static string Name(this FaultStage stage) => stage switch
    {
        FaultStage.EndOfData => "end-of-data",
        _ => stage.ToString().ToLowerInvariant(),
    };
}
