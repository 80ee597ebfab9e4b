using System.Text.RegularExpressions;

namespace MailSink.Api.Compat.HtmlCheck;

/// <summary>
/// Turns a caniemail.com feature into Mailpit's warning (Mailpit's getTest): one result per client version, "y" is
/// yes, "n" is no and anything else ("a", "a #1", even "y #2") is partial with the note number, and the score is the
/// share of versions at each level. Families and platforms can be limited as Mailpit's LimitFamilies/LimitPlatforms
/// do (Mailpit leaves them empty, so does MailSink: every client counts).
/// </summary>
internal sealed partial class FeatureWarnings(CanIEmailData data, IReadOnlySet<string>? families = null, IReadOnlySet<string>? platforms = null)
{
    public static FeatureWarnings Default { get; } = new(CanIEmailData.Instance);

    /// <summary>The warning for <paramref name="slug"/> with <paramref name="found"/> occurrences, or null when the data has no such feature.</summary>
    public HtmlCheckWarning? For(string slug, int found)
    {
        if (!data.Features.TryGetValue(slug, out var feature))
        {
            return null;
        }

        var results = new List<HtmlCheckResult>();
        float yes = 0, no = 0, partial = 0;
        foreach (var stat in feature.Stats)
        {
            if ((families is { Count: > 0 } && !families.Contains(stat.Family)) || (platforms is { Count: > 0 } && !platforms.Contains(stat.Platform)))
            {
                continue;
            }

            var name = $"{data.FamilyName(stat.Family)} {data.PlatformName(stat.Platform)} ({stat.Version})";
            var (support, note) = stat.Support switch
            {
                "y" => ("yes", string.Empty),
                "n" => ("no", string.Empty),
                _ => ("partial", NoteNumber(stat.Support)),
            };
            switch (support)
            {
                case "yes": yes++; break;
                case "no": no++; break;
                default: partial++; break;
            }

            results.Add(new HtmlCheckResult(name, stat.Platform, stat.Family, stat.Version, support, note));
        }

        // Mailpit divides by the total as is; a feature with no (unfiltered) results would give NaN, which JSON cannot carry.
        var total = Math.Max(yes + no + partial, 1);
        var notes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (number, note) in feature.NotesByNumber)
        {
            notes[number] = MarkdownText.ToHtml(note);
        }

        return new HtmlCheckWarning(
            feature.Slug,
            feature.Title,
            MarkdownText.ToHtml(feature.Description),
            feature.Url,
            feature.Category,
            feature.Tags,
            Keywords: string.Empty, // Mailpit leaves Keywords out of its warnings (commented out in getTest)
            results,
            notes,
            new HtmlCheckScore(found, yes / total * 100, partial / total * 100, no / total * 100));
    }

    /// <summary>Mailpit's Platforms(): each platform with the sorted nice names of the families tested on it.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Platforms()
    {
        var byPlatform = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var stat in data.Features.Values.SelectMany(f => f.Stats))
        {
            if (!byPlatform.TryGetValue(stat.Platform, out var names))
            {
                byPlatform[stat.Platform] = names = new SortedSet<string>(StringComparer.Ordinal);
            }

            names.Add(data.FamilyName(stat.Family));
        }

        return byPlatform.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)[.. p.Value], StringComparer.Ordinal);
    }

    // "a #12" is note 12 (Mailpit's ` #(\d)+$` keeps only the last digit; the whole number is what the data means).
    private static string NoteNumber(string support)
    {
        var match = NotePattern().Match(support);
        return match.Success ? match.Groups[1].Value : string.Empty;
    }

    [GeneratedRegex(@" #(\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex NotePattern();
}
