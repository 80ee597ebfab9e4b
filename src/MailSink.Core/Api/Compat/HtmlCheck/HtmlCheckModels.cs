namespace MailSink.Api.Compat.HtmlCheck;

// Mailpit's HTMLCheck* swagger models (internal/htmlcheck/structs.go), property for property; the API's JSON keeps
// these names as written (PropertyNamingPolicy = null).

/// <summary>Mailpit's HTMLCheckResponse: the warnings, every platform with its clients, and the weighted total.</summary>
internal sealed record HtmlCheckResponse(
    IReadOnlyList<HtmlCheckWarning> Warnings,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Platforms,
    HtmlCheckTotal Total);

/// <summary>Mailpit's HTMLCheckWarning: one caniemail.com feature found in the message, with its support per client.</summary>
internal sealed record HtmlCheckWarning(
    string Slug,
    string Title,
    string Description,
    string URL,
    string Category,
    IReadOnlyList<string> Tags,
    string Keywords,
    IReadOnlyList<HtmlCheckResult> Results,
    IReadOnlyDictionary<string, string> NotesByNumber,
    HtmlCheckScore Score);

/// <summary>Mailpit's HTMLCheckResult: one client version's support (yes, no or partial with a note number).</summary>
internal sealed record HtmlCheckResult(string Name, string Platform, string Family, string Version, string Support, string NoteNumber);

/// <summary>Mailpit's HTMLCheckScore: how often the feature occurs and the share of client versions per support level.</summary>
internal sealed record HtmlCheckScore(int Found, float Supported, float Partial, float Unsupported);

/// <summary>Mailpit's HTMLCheckTotal: tests run, nodes counted and the overall weighted percentages.</summary>
internal sealed record HtmlCheckTotal(int Tests, int Nodes, float Supported, float Partial, float Unsupported);
