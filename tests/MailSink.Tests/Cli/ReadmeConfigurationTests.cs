using System.Text.RegularExpressions;
using MailSink.Cli;
using MailSink.Options;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Cli;

/// <summary>The README's configuration table and variable names are the ones `mailsink --help` prints.</summary>
public sealed partial class ReadmeConfigurationTests
{
    private static readonly string Readme = Path.Combine(MailSinkCommand.RepositoryRoot(), "README.md");

    [Fact]
    public async Task The_README_configuration_table_is_the_one_help_markdown_prints()
    {
        var (exit, fresh, stderr) = await MailSinkCommand.RunAsync(["--help", "--markdown"]);
        Assert.True(exit == 0, stderr);
        Assert.StartsWith("| switch | key | environment variable | default | meaning |", fresh);

        var readme = (await File.ReadAllTextAsync(Readme)).ReplaceLineEndings("\n");
        var start = readme.IndexOf(OptionsMarkdown.StartMarker, StringComparison.Ordinal);
        var end = readme.IndexOf(OptionsMarkdown.EndMarker, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"README.md has no table between {OptionsMarkdown.StartMarker} and {OptionsMarkdown.EndMarker}");
        var current = readme[(start + OptionsMarkdown.StartMarker.Length)..end].Trim('\n') + "\n";

        Assert.True(current == fresh, $"README.md's configuration table differs from the options' own documentation. Replace it with (mailsink --help --markdown):\n{fresh}");
    }

    [Fact]
    public async Task Every_MAILSINK_variable_the_README_names_is_spelled_as_help_prints_it()
    {
        var options = OptionsCatalog.All();
        var known = options.Select(o => o.EnvironmentVariable).ToHashSet(StringComparer.Ordinal);
        var sections = options.Select(o => o.Key.Split(':')[0]).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var readme = await File.ReadAllTextAsync(Readme);

        // Variables under MailSink's sections (not MAILSINK_SENDMAIL_SERVER or the test tooling's); a list's later
        // items (__1, __2, ...) are spelled as its first.
        var named = Variable().Matches(readme)
            .Select(m => ListIndex().Replace(m.Value, "__0"))
            .Where(v => sections.Contains(EnvironmentVariableNames.KeyOf(v)!.Split(':')[0]))
            .Distinct()
            .ToList();

        Assert.Contains("MAILSINK_Server__Bind", named);
        Assert.All(named, v => Assert.True(known.Contains(v), $"README.md names {v}, which --help does not print (spelling or case differs, or no such option)"));
    }

    [GeneratedRegex(@"MAILSINK_[A-Za-z0-9_]+")]
    private static partial Regex Variable();

    [GeneratedRegex(@"__[0-9]+(?=__|$)")]
    private static partial Regex ListIndex();
}
