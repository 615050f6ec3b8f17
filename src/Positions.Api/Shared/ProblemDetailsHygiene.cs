using Microsoft.AspNetCore.Http;

namespace Positions.Api.Shared;

/// <summary>
/// Problem details written by the framework (unreadable JSON, unparseable query values) carry parser messages that
/// name our internal types; answers say what to fix instead.
/// </summary>
public static class ProblemDetailsHygiene
{
    public static void Apply(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Title == "Invalid JSON format")
        {
            problem.Detail = "The body is not JSON of the expected shape (check brackets, quotes and value types).";
            problem.Extensions.Remove("exception");
        }
        problem.Extensions.Remove("traceId");
    }
}
