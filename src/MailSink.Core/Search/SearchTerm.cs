namespace MailSink.Search;

/// <summary>
/// One parsed term. Public so a store can push terms down into its own query language and fall back
/// to <see cref="SearchQuery.Matches"/> for the rest.
/// </summary>
/// <param name="Field">What the term looks at.</param>
/// <param name="Value">The value as written, unquoted (empty for is: and has:).</param>
/// <param name="Negated">Written with a leading '-': the term must not match.</param>
/// <param name="Instant">For before: and after:, the parsed instant (a bare date is midnight UTC).</param>
internal sealed record SearchTerm(SearchField Field, string Value, bool Negated, DateTimeOffset? Instant = null);
