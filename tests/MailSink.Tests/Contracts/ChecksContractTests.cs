using System.Text.Json;
using MailSink.Contracts;
using MailSink.Diagnostics;

namespace MailSink.Tests.Contracts;

/// <summary>
/// /checks and /codes used to send the Diagnostics types themselves; they now send Contracts records mapped from
/// them. The JSON must stay byte for byte what it was (no field renamed, dropped or reordered), and a field added to
/// a Diagnostics type without a Contracts counterpart shows up here rather than silently never reaching the wire.
/// </summary>
public sealed class ChecksContractTests
{
    public static TheoryData<string> Variants => ["complete", "no SPF or DMARC", "no evaluations, no signatures"];

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_checks_route_sends_the_stored_checks_byte_for_byte(string variant)
    {
        var stored = ContractSamples.StoredChecks;
        switch (variant)
        {
            case "no SPF or DMARC":
                stored.Spf = null;
                stored.Dmarc = null;
                break;
            case "no evaluations, no signatures":
                stored.Spf!.Evaluations.Clear();
                stored.Dkim.Clear();
                stored.Findings.Clear();
                stored.Counts = FindingCounts.Of([]);
                break;
        }

        var before = JsonSerializer.Serialize(stored, ContractGoldenTests.ApiJson);
        var now = JsonSerializer.Serialize(MessageChecksDto.From(stored), ContractGoldenTests.ApiJson);

        Assert.Equal(before, now);
    }

    [Fact]
    public void The_codes_route_sends_the_table_entries_byte_for_byte()
    {
        var entry = ContractSamples.StoredStatusCode;

        Assert.Equal(
            JsonSerializer.Serialize(entry, ContractGoldenTests.ApiJson),
            JsonSerializer.Serialize(SmtpStatusCodeDto.From(entry), ContractGoldenTests.ApiJson));
    }
}
