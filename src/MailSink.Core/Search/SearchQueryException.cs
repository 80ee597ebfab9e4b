namespace MailSink.Search;

/// <summary>A search query that cannot be understood; the message names the term and what is wrong (the API answers 400 with it).</summary>
internal sealed class SearchQueryException : Exception
{
    public SearchQueryException(string term, string message)
        : base(message)
    {
        Term = term;
    }

    /// <summary>The offending term as written.</summary>
    public string Term { get; }
}
