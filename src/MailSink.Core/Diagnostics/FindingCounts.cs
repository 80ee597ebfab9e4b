namespace MailSink.Diagnostics;

/// <summary>How many findings a message has per severity; the list badges rows with it.</summary>
internal sealed class FindingCounts
{
    public int Error { get; set; }
    public int Warning { get; set; }
    public int Info { get; set; }
    public int Pass { get; set; }

    public static FindingCounts Of(IEnumerable<Finding> findings)
    {
        var counts = new FindingCounts();
        foreach (var finding in findings)
        {
            switch (finding.Severity)
            {
                case FindingSeverity.Error: counts.Error++; break;
                case FindingSeverity.Warning: counts.Warning++; break;
                case FindingSeverity.Info: counts.Info++; break;
                default: counts.Pass++; break;
            }
        }

        return counts;
    }
}
