using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using MailSink.Options;

namespace MailSink.Cli;

/// <summary>
/// One configurable setting as <c>--help</c> and the README show it. A list (<c>IsList</c>) is set one item per
/// index (<c>Web:AllowedOrigins:0</c>, <c>:1</c>, ...): the binder ignores a value on the key itself. A field of a
/// list of objects is shown with index 0 in its key (<c>Faults:Rules:0:Preset</c>) and stands for every index.
/// </summary>
internal sealed record OptionEntry(string Key, string? Switch, string Default, string Description, string Group, bool IsList)
{
    /// <summary>The key as it is written on the command line: a list's first item for a list.</summary>
    public string SettingKey => IsList ? $"{Key}:0" : Key;

    /// <summary>The environment variable that sets <see cref="SettingKey"/>.</summary>
    public string EnvironmentVariable => EnvironmentVariableNames.Of(SettingKey);
}

/// <summary>
/// Every setting, read from the options classes themselves (defaults from a fresh instance, descriptions
/// from the XML documentation shipped beside the assembly, short switches from
/// <see cref="MailSink.Options.OptionsServiceCollectionExtensions.Switches"/>), so the help cannot drift from the code.
/// </summary>
internal static partial class OptionsCatalog
{
    /// <param name="withDescriptions">
    /// False for the start-up check of the configuration keys, which needs the keys only: parsing MailSink.Core.xml
    /// loaded System.Private.Xml and its Linq layer into every server process (about 4 MB of idle RSS, issue 12).
    /// </param>
    public static IReadOnlyList<OptionEntry> All(bool withDescriptions = true)
    {
        var docs = withDescriptions ? LoadDocs() : new Dictionary<string, string>(StringComparer.Ordinal);
        var entries = new List<OptionEntry>();
        Add(entries, docs, ServerOptions.SectionName, new ServerOptions(), ServerOptions.SectionName, null);
        Add(entries, docs, SmtpOptions.SectionName, new SmtpOptions(), SmtpOptions.SectionName, null);
        Add(entries, docs, StorageOptions.SectionName, new StorageOptions(), StorageOptions.SectionName, null);
        Add(entries, docs, WebOptions.SectionName, new WebOptions(), WebOptions.SectionName, null);
        Add(entries, docs, Diagnostics.DiagnosticsOptions.SectionName, new Diagnostics.DiagnosticsOptions(), Diagnostics.DiagnosticsOptions.SectionName, null);
        Add(entries, docs, Faults.FaultOptions.SectionName, new Faults.FaultOptions(), Faults.FaultOptions.SectionName, null);
        Add(entries, docs, Relay.RelayOptions.SectionName, new Relay.RelayOptions(), Relay.RelayOptions.SectionName, null);
        return entries;
    }

    private static void Add(List<OptionEntry> entries, IReadOnlyDictionary<string, string> docs, string prefix, object instance, string group, string? groupDescription)
    {
        foreach (var property in instance.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanWrite || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var key = $"{prefix}:{property.Name}";
            var value = property.GetValue(instance);
            var description = docs.GetValueOrDefault(DocId(property), "");
            if (property.PropertyType == typeof(ListenerOptions) && value is not null)
            {
                // A listener is a group of its own; its description says what the listener is for.
                Add(entries, docs, key, value, key, description);
                continue;
            }

            if (groupDescription is not null && !entries.Any(e => e.Group == group))
            {
                description = $"{groupDescription} {description}".Trim();
            }

            if (ListItemType(property.PropertyType) is { } itemType)
            {
                // Smtp:Users:0:Name, Faults:Rules:0:Match:Recipient: a group per list, whose description leads it.
                var listDescription = $"{description} A list: one item per index, :0, :1, ... (__0, __1, ... in a variable).".Trim();
                Add(entries, docs, $"{key}:0", Activator.CreateInstance(itemType)!, key, listDescription);
                continue;
            }

            if (IsNestedObject(property.PropertyType))
            {
                // Faults:Rules:0:Match:Recipient: a nested object's fields, in the group of the object that holds it.
                Add(entries, docs, key, value ?? Activator.CreateInstance(property.PropertyType)!, group, null);
                continue;
            }

            var isList = property.PropertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(property.PropertyType);
            if (isList)
            {
                description = $"{description} A list: one item per index, :0, :1, ... (__0, __1, ... in a variable).".Trim();
            }

            var shortSwitch = MailSink.Options.OptionsServiceCollectionExtensions.Switches.FirstOrDefault(s => string.Equals(s.Value, key, StringComparison.OrdinalIgnoreCase)).Key;
            entries.Add(new OptionEntry(key, shortSwitch, Format(value), description, group, isList));
        }
    }

    /// <summary>T of a List&lt;T&gt; whose items are objects with settings of their own (not strings or numbers).</summary>
    private static Type? ListItemType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) && IsNestedObject(type.GetGenericArguments()[0])
            ? type.GetGenericArguments()[0]
            : null;

    /// <summary>One of MailSink's own option classes (a rule's Match, a user), bound field by field.</summary>
    private static bool IsNestedObject(Type type) =>
        type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type)
        && type.Namespace?.StartsWith("MailSink", StringComparison.Ordinal) == true && type.GetConstructor(Type.EmptyTypes) is not null;

    private static string Format(object? value) => value switch
    {
        null => "(unset)",
        string { Length: 0 } => "(empty)",
        string s => s,
        bool b => b ? "true" : "false",
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable list => list.Cast<object>().Any() ? string.Join(",", list.Cast<object>()) : "(none)",
        _ => value.ToString() ?? "",
    };

    private static string DocId(PropertyInfo property) => $"P:{property.DeclaringType!.FullName}.{property.Name}";

    /// <summary>
    /// Summaries from MailSink.Core.xml, beside the options' assembly (the tool ships it next to MailSink.Core.dll);
    /// none when it is missing (help still lists every option).
    /// </summary>
    private static Dictionary<string, string> LoadDocs()
    {
        var path = Path.ChangeExtension(typeof(ServerOptions).Assembly.Location, ".xml");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            return result;
        }

        foreach (var member in XDocument.Load(path).Descendants("member"))
        {
            var name = (string?)member.Attribute("name");
            var summary = member.Element("summary");
            if (name is null || summary is null)
            {
                continue;
            }

            // <see cref="T:X.Y.Name"/> reads as "Name".
            foreach (var see in summary.Descendants("see").ToList())
            {
                var cref = (string?)see.Attribute("cref") ?? "";
                see.ReplaceWith(cref[(cref.LastIndexOf('.') + 1)..]);
            }

            result[name] = Whitespace().Replace(summary.Value, " ").Trim();
        }

        return result;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
