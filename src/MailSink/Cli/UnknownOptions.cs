using System.Collections;
using MailSink.Options;
using Microsoft.Extensions.Configuration;

namespace MailSink.Cli;

/// <summary>
/// Refuses what the configuration system would silently ignore: `--smpt-port 2525` would start on 1025 and
/// `--bogus-flag` would start the server. Checked before the host is built: every command-line argument, every
/// MAILSINK_ variable and every key of an appsettings file under MailSink's sections (Server, Smtp, Storage, Web)
/// must be one MailSink binds. Other keys (Logging:*, Kestrel:*, ASPNETCORE_*, an app's own sections in an
/// appsettings.json) are the framework's or someone else's, and are left alone.
/// </summary>
internal static class UnknownOptions
{
    private static readonly string[] Commands = ["sendmail", "healthcheck", "help", "version"];

    /// <summary>Throws <see cref="UnknownOptionException"/> naming the first unknown switch or key and the closest known one.</summary>
    public static void ThrowIfAny(IReadOnlyList<string> args, IConfigurationRoot configuration, IDictionary environment)
    {
        var known = KnownOptions.FromCatalog();
        var problem = InArguments(args, known) ?? InEnvironment(environment, known) ?? InFiles(configuration, known);
        if (problem is not null)
        {
            throw new UnknownOptionException(problem);
        }
    }

    /// <summary>Walks the arguments as CommandLineConfigurationProvider reads them (--key value, --key=value, /key, key=value).</summary>
    internal static string? InArguments(IReadOnlyList<string> args, KnownOptions known)
    {
        var switches = MailSink.Options.OptionsServiceCollectionExtensions.Switches;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var separator = arg.IndexOf('=', StringComparison.Ordinal);
            var name = separator < 0 ? arg : arg[..separator];
            var key = name.StartsWith("--", StringComparison.Ordinal) ? name[2..]
                : name.StartsWith('/') ? name[1..]
                : name.StartsWith('-') ? null
                : separator < 0 ? null : name;

            if (key is null)
            {
                // "-x" is not one of our switches (all are --long), "word" is not an option at all: both are ignored
                // by the provider, and both are typos of something.
                var single = name.StartsWith('-');
                var suggestion = single ? ClosestMatch.Find(name, CommandLineNames(known)) : ClosestMatch.Find(name, Commands);
                return Unknown(single ? $"unknown option {name}" : $"unexpected argument '{name}'", suggestion);
            }

            var isSwitch = switches.ContainsKey("--" + key);
            if (!isSwitch && !known.Binds(key, separator < 0 ? "value" : arg[(separator + 1)..])
                && (known.IsMailSinkSection(key) || !known.IsFramework(key)))
            {
                return Unknown($"unknown option {name}", ClosestMatch.Find(name, CommandLineNames(known)) ?? WithClosestSection(name, key, known));
            }

            if (separator < 0)
            {
                // The provider drops a last switch without a value: say so rather than start with the default.
                if (i + 1 >= args.Count)
                {
                    return $"option {name} needs a value";
                }

                i++;
            }
        }

        return null;
    }

    /// <summary>MAILSINK_ variables under MailSink's sections (MAILSINK_SENDMAIL_SERVER and test tooling's MAILSINK_* are not).</summary>
    internal static string? InEnvironment(IDictionary environment, KnownOptions known)
    {
        foreach (DictionaryEntry entry in environment)
        {
            if (entry.Key is not string variable || EnvironmentVariableNames.KeyOf(variable) is not { } key || !known.IsMailSinkSection(key))
            {
                continue;
            }

            if (!known.Binds(key, entry.Value as string))
            {
                var candidates = known.SettingKeys.Select(EnvironmentVariableNames.Of);
                return Unknown($"unknown environment variable {variable}", ClosestMatch.Find(variable, candidates));
            }
        }

        return null;
    }

    /// <summary>Keys under MailSink's sections in appsettings.json, appsettings.{Environment}.json or user secrets.</summary>
    internal static string? InFiles(IConfigurationRoot configuration, KnownOptions known)
    {
        foreach (var provider in configuration.Providers.OfType<FileConfigurationProvider>())
        {
            foreach (var (key, value) in Leaves(provider, parent: null))
            {
                if (known.IsMailSinkSection(key) && !known.Binds(key, value))
                {
                    var file = provider.Source.FileProvider?.GetFileInfo(provider.Source.Path ?? "").PhysicalPath ?? provider.Source.Path;
                    return Unknown($"unknown option {key} in {file}", ClosestMatch.Find(key, known.SettingKeys));
                }
            }
        }

        return null;
    }

    private static IEnumerable<(string Key, string? Value)> Leaves(IConfigurationProvider provider, string? parent)
    {
        foreach (var child in provider.GetChildKeys([], parent).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var path = parent is null ? child : ConfigurationPath.Combine(parent, child);
            if (provider.GetChildKeys([], path).Any())
            {
                foreach (var leaf in Leaves(provider, path))
                {
                    yield return leaf;
                }
            }
            else
            {
                provider.TryGet(path, out var value);
                yield return (path, value);
            }
        }
    }

    /// <summary>What a person may type: the short switches and every --Section:Key.</summary>
    private static IEnumerable<string> CommandLineNames(KnownOptions known) =>
        MailSink.Options.OptionsServiceCollectionExtensions.Switches.Keys.Concat(known.SettingKeys.Select(k => "--" + k));

    /// <summary>"--Loging:LogLevel:Default" is "--Logging:LogLevel:Default": the rest of a framework key is not ours to know.</summary>
    private static string? WithClosestSection(string name, string key, KnownOptions known)
    {
        var segments = key.Split(':', 2);
        return segments.Length == 2 && ClosestMatch.Find(segments[0], known.TopLevelNames) is { } section
            ? $"{name[..^key.Length]}{section}:{segments[1]}"
            : null;
    }

    private static string Unknown(string what, string? suggestion) =>
        suggestion is null ? $"{what} (mailsink --help lists the options)" : $"{what}; did you mean {suggestion}?";
}
