using System.Text.Json;

namespace MailSink.Api.Compat.HtmlCheck;

/// <summary>One feature of caniemail.com: its texts and, per family, platform and version, the raw support value ("y", "n", "a #1", ...).</summary>
internal sealed record CanIEmailFeature(
    string Slug,
    string Title,
    string Description,
    string Url,
    string Category,
    IReadOnlyList<string> Tags,
    IReadOnlyList<CanIEmailStat> Stats,
    IReadOnlyDictionary<string, string> NotesByNumber);

/// <summary>One cell of a feature's support table, in the order the data lists it.</summary>
internal sealed record CanIEmailStat(string Family, string Platform, string Version, string Support);

/// <summary>
/// caniemail.com's support data (api_version 1.0.4), vendored from the npm package "caniemail" and embedded in this
/// assembly; see README.md next to the JSON for its origin and how to update it. Parsed once, on the first html-check.
/// </summary>
internal sealed class CanIEmailData
{
    private const string ResourceName = "MailSink.HtmlCheck.caniemail.json";
    private static readonly Lazy<CanIEmailData> Shared = new(Load);

    private CanIEmailData(
        string lastUpdateDate,
        IReadOnlyDictionary<string, string> familyNames,
        IReadOnlyDictionary<string, string> platformNames,
        IReadOnlyDictionary<string, CanIEmailFeature> features)
    {
        LastUpdateDate = lastUpdateDate;
        FamilyNames = familyNames;
        PlatformNames = platformNames;
        Features = features;
    }

    public static CanIEmailData Instance => Shared.Value;

    public string LastUpdateDate { get; }

    /// <summary>Nice names of the client families ("gmail" is "Gmail").</summary>
    public IReadOnlyDictionary<string, string> FamilyNames { get; }

    /// <summary>Nice names of the platforms ("desktop-webmail" is "Webmail").</summary>
    public IReadOnlyDictionary<string, string> PlatformNames { get; }

    /// <summary>Features by slug (first occurrence wins, as Mailpit's linear search does).</summary>
    public IReadOnlyDictionary<string, CanIEmailFeature> Features { get; }

    public string FamilyName(string family) => FamilyNames.GetValueOrDefault(family, string.Empty);

    public string PlatformName(string platform) => PlatformNames.GetValueOrDefault(platform, string.Empty);

    private static CanIEmailData Load()
    {
        using var stream = typeof(CanIEmailData).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from MailSink.Core.");
        using var json = JsonDocument.Parse(stream);
        var root = json.RootElement;
        var nice = root.GetProperty("nicenames");
        var features = new Dictionary<string, CanIEmailFeature>(StringComparer.Ordinal);
        foreach (var item in root.GetProperty("data").EnumerateArray())
        {
            var feature = ReadFeature(item);
            features.TryAdd(feature.Slug, feature);
        }

        return new CanIEmailData(
            root.GetProperty("last_update_date").GetString() ?? string.Empty,
            ReadStrings(nice.GetProperty("family")),
            ReadStrings(nice.GetProperty("platform")),
            features);
    }

    private static CanIEmailFeature ReadFeature(JsonElement item)
    {
        var stats = new List<CanIEmailStat>();
        if (item.TryGetProperty("stats", out var families) && families.ValueKind == JsonValueKind.Object)
        {
            foreach (var family in families.EnumerateObject())
            {
                foreach (var platform in family.Value.EnumerateObject())
                {
                    foreach (var version in platform.Value.EnumerateObject())
                    {
                        stats.Add(new CanIEmailStat(family.Name, platform.Name, version.Name, version.Value.GetString() ?? string.Empty));
                    }
                }
            }
        }

        var tags = item.TryGetProperty("tags", out var t) && t.ValueKind == JsonValueKind.Array
            ? t.EnumerateArray().Select(x => x.GetString() ?? string.Empty).ToList()
            : [];
        var notes = item.TryGetProperty("notes_by_num", out var n) && n.ValueKind == JsonValueKind.Object
            ? ReadStrings(n)
            : new Dictionary<string, string>();
        return new CanIEmailFeature(Text(item, "slug"), Text(item, "title"), Text(item, "description"), Text(item, "url"), Text(item, "category"), tags, stats, notes);
    }

    private static string Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;

    private static Dictionary<string, string> ReadStrings(JsonElement obj) =>
        obj.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.ToString(), StringComparer.Ordinal);
}
