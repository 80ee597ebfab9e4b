using System.Reflection;
using MailSink.Options;
using Microsoft.AspNetCore.Hosting;

namespace MailSink.Cli;

/// <summary>
/// Which configuration keys mean something: MailSink's own (from <see cref="OptionsCatalog"/>, so a new option
/// is known as soon as it exists) and the framework's top-level ones (Logging, Kestrel, urls, environment, ...).
/// </summary>
internal sealed class KnownOptions
{
    private readonly IReadOnlyList<OptionEntry> _options;
    private readonly HashSet<string> _sections;
    private readonly HashSet<string> _framework;

    private KnownOptions(IReadOnlyList<OptionEntry> options)
    {
        _options = options;
        _sections = options.Select(o => FirstSegment(o.Key)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        _framework = FrameworkKeys().ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    public static KnownOptions FromCatalog() => new(OptionsCatalog.All(withDescriptions: false));

    /// <summary>The keys to suggest, as they are written (a list's first item for a list).</summary>
    public IEnumerable<string> SettingKeys => _options.Select(o => o.SettingKey);

    /// <summary>Server, Smtp, Storage, Web: sections where every key must be one MailSink knows.</summary>
    public bool IsMailSinkSection(string key) => _sections.Contains(FirstSegment(key));

    /// <summary>Logging:*, Kestrel:*, urls, environment, ...: read by ASP.NET Core itself, not checked here.</summary>
    public bool IsFramework(string key) => _framework.Contains(FirstSegment(key));

    /// <summary>Every known top-level name (MailSink's sections and the framework's), to suggest "Logging" for "Loging".</summary>
    public IEnumerable<string> TopLevelNames => _sections.Concat(_framework);

    /// <summary>Whether MailSink binds <paramref name="key"/> (with <paramref name="value"/>) to an option.</summary>
    public bool Binds(string key, string? value)
    {
        var segments = key.Split(':');
        foreach (var option in _options)
        {
            var pattern = option.Key.Split(':');
            if (!option.IsList && Matches(pattern, segments))
            {
                return true;
            }

            // Web:AllowedOrigins:0, :1, ...; a value on Web:AllowedOrigins itself is silently ignored by the binder.
            if (option.IsList && segments.Length == pattern.Length + 1 && Matches(pattern, segments[..^1]) && IsIndex(segments[^1]))
            {
                return true;
            }
        }

        // An empty JSON object or array ("Smtp": {}, "AllowedOrigins": [], "Rules": [{}]) leaves its own key with no value.
        return string.IsNullOrEmpty(value)
            && _options.Any(o => o.Key.Split(':') is var pattern && pattern.Length >= segments.Length && Matches(pattern[..segments.Length], segments));
    }

    /// <summary>
    /// Segment by segment, case-insensitive; an index in the catalog's key (Faults:Rules:0:Preset) stands for any
    /// index (Faults:Rules:3:Preset), since a list of objects is documented once, by its first item.
    /// </summary>
    private static bool Matches(string[] pattern, string[] key) =>
        pattern.Length == key.Length
        && pattern.Zip(key).All(p => IsIndex(p.First) ? IsIndex(p.Second) : string.Equals(p.First, p.Second, StringComparison.OrdinalIgnoreCase));

    private static bool IsIndex(string segment) => segment.Length > 0 && segment.All(char.IsAsciiDigit);

    private static string FirstSegment(string key) => key.Split(':', 2)[0];

    private static IEnumerable<string> FrameworkKeys()
    {
        // The host's own switches (urls, environment, contentRoot, applicationName, http_ports, ...), read from
        // the fields ASP.NET Core defines them in (static readonly, not const) so a new one is not refused by mistake.
        var constants = new[] { typeof(WebHostDefaults), typeof(HostDefaults) }
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.FieldType == typeof(string))
            .Select(f => (string)f.GetValue(null)!);

        // Sections the framework reads from configuration; hostBuilder:reloadConfigOnChange is HostBuilder's.
        return constants.Concat(["Logging", "Kestrel", "AllowedHosts", "hostBuilder"]);
    }
}
