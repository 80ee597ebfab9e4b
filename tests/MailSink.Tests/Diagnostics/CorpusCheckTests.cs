using MailSink.Diagnostics;

namespace MailSink.Tests.Diagnostics;

/// <summary>The checks run on every file in tests/TestData without an exception.</summary>
public sealed class CorpusCheckTests
{
    public static TheoryData<string> Files => new(
        Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "TestData"), "*", SearchOption.AllDirectories)
            .Where(p => Path.GetFileName(p) is not ("LICENSE" or "README.md"))
            .Select(p => Path.GetRelativePath(Path.Combine(AppContext.BaseDirectory, "TestData"), p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Every_test_data_file_is_checked_with_a_finding_for_every_DNS_check_and_counts_that_add_up(string file)
    {
        using var zone = new DnsZoneFile("example.com TXT \"v=spf1 -all\"\n");
        var raw = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "TestData", file));

        var checks = await Checks.RunAsync(raw, zone.Resolver, Checks.Envelope(mailFrom: "sender@example.com"));

        Assert.StartsWith("Authentication-Results: sink.test;", checks.AuthenticationResults, StringComparison.Ordinal);
        Assert.Contains(checks.Findings, f => f.Area == FindingArea.Spf);
        Assert.Equal(checks.Findings.Count, checks.Counts.Error + checks.Counts.Warning + checks.Counts.Info + checks.Counts.Pass);
    }
}
