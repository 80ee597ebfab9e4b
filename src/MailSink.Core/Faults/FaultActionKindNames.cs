namespace MailSink.Faults;

/// <summary>The names action kinds have in the API ("rate-limit", not "RateLimit").</summary>
internal static class FaultActionKindNames
{
    private static readonly Dictionary<string, FaultActionKind> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["reply"] = FaultActionKind.Reply,
        ["delay"] = FaultActionKind.Delay,
        ["close"] = FaultActionKind.Close,
        ["timeout"] = FaultActionKind.Timeout,
        ["drop"] = FaultActionKind.Drop,
        ["tag"] = FaultActionKind.Tag,
        ["greylist"] = FaultActionKind.Greylist,
        ["rate-limit"] = FaultActionKind.RateLimit,
    };

    public static string All => string.Join(", ", ByName.Keys);

    public static bool TryParse(string? name, out FaultActionKind kind) => ByName.TryGetValue(name ?? "", out kind);

    public static string Name(this FaultActionKind kind) => kind switch
    {
        FaultActionKind.RateLimit => "rate-limit",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
