using Marten;
using Positions.Api.Shared;

namespace Positions.Api.Storage;

/// <summary>
/// Registers a document under a client-chosen id, idempotently: 201 when new, 200 when identical, 409 when the id
/// is taken by other content. The lock makes concurrent identical registrations agree.
/// </summary>
public static class Registration
{
    public static async Task<IResult> RegisterAsync<T>(
        IDocumentSession session, string lockKey, string id, T document, string location, CancellationToken ct)
        where T : notnull
    {
        await session.BeginTransactionAsync(ct);
        await WriteLocks.AcquireAsync(session, [lockKey], ct);
        var existing = await session.LoadAsync<T>(id, ct);
        if (existing is not null)
            return existing.Equals(document)
                ? Results.Json(existing, PositionsJson.Options)
                : Problems.Conflict($"'{id}' exists already with other content.");

        session.Insert(document);
        return Results.Json(document, PositionsJson.Options, statusCode: StatusCodes.Status201Created)
            .WithLocation(location);
    }

    private static IResult WithLocation(this IResult result, string location) => new LocatedResult(result, location);

    private sealed class LocatedResult(IResult inner, string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
