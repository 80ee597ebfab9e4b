using Microsoft.AspNetCore.Http.HttpResults;

namespace MailSink.Api;

/// <summary>start/limit query parameters, parsed by hand so a bad value gets a 400 naming it.</summary>
internal readonly record struct Paging(int Start, int Limit)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 1000;

    public static bool TryParse(string? start, string? limit, out Paging paging, out ProblemHttpResult? problem)
    {
        paging = new Paging(0, DefaultLimit);
        problem = null;
        var s = 0;
        var l = DefaultLimit;
        if (!string.IsNullOrEmpty(start) && (!int.TryParse(start, out s) || s < 0))
        {
            problem = ApiProblems.BadParameter("start", $"'start' must be a whole number of messages to skip (0 or more), got '{start}'.");
            return false;
        }

        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, out l) || l < 1 || l > MaxLimit))
        {
            problem = ApiProblems.BadParameter("limit", $"'limit' must be between 1 and {MaxLimit}, got '{limit}'.");
            return false;
        }

        paging = new Paging(s, l);
        return true;
    }
}
