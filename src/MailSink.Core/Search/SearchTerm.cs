namespace MailSink.Search;

/// <summary>
/// One parsed term. Public so a store can push terms down into its own query language and fall back
/// to <see cref="SearchQuery.Matches"/> for the rest.
/// </summary>
/// <param name="Field">What the term looks at.</param>
/// <param name="Value">The value as written, unquoted (empty for is: and has:).</param>
/// <param name="Negated">Written with a leading '-' or '!': the term must not match.</param>
/// <param name="Instant">For before: and after:, the parsed instant (a date or time without an offset is in the search's time zone).</param>
/// <param name="Bytes">For larger: and smaller:, the size in bytes.</param>
internal sealed record SearchTerm(SearchField Field, string Value, bool Negated, DateTimeOffset? Instant = null, long? Bytes = null);
