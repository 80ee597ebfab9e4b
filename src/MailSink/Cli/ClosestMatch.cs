namespace MailSink.Cli;

/// <summary>"did you mean ...?": the known name nearest to a mistyped one, if any is near enough to be a typo.</summary>
internal static class ClosestMatch
{
    /// <summary>The candidate with the fewest edits from <paramref name="typed"/>, ignoring case; null when none is close.</summary>
    public static string? Find(string typed, IEnumerable<string> candidates)
    {
        // A fifth of the name, at least two edits: "--smpt-port" (one swap) and "--max-mesage-size" are found,
        // "--bogus-flag" is not passed off as something it never resembled.
        var limit = Math.Max(2, typed.Length / 5);
        return candidates
            .Select(c => (Candidate: c, Distance: Distance(typed.ToLowerInvariant(), c.ToLowerInvariant())))
            .Where(c => c.Distance <= limit)
            .OrderBy(c => c.Distance)
            .Select(c => c.Candidate)
            .FirstOrDefault();
    }

    /// <summary>
    /// Optimal string alignment distance: Levenshtein plus the swap of two neighbours, which is the typo people
    /// make ("smpt" for "smtp") and would otherwise count as two edits.
    /// </summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
