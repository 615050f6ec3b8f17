using Marten;
using Positions.Api.Positions;
using Positions.Api.Shared;
using Wolverine.Http;

namespace Positions.Api.Statements.Audit;

public static class StatementEndpoints
{
    /// <summary>Audit: who said what when, as known at knownAt, in timeline order.</summary>
    [WolverineGet("/statements")]
    public static async Task<IResult> List(string? actor, string? speaker, string? topic, string? from, string? to,
        string? knownAt, string? limit, string? after, AuditReader audit, TimeProvider clock, CancellationToken ct)
    {
        var query = new QueryParameters();
        var filter = new AuditFilter(
            query.Id("actor", actor), query.Id("speaker", speaker), query.Id("topic", topic),
            query.LowerBound("from", from), query.UpperBound("to", to),
            TimeQuery.Read(query, null, knownAt, clock).KnownAt);
        query.CheckRange(filter.From, filter.To);
        var pageSize = query.Limit(limit);
        var cursor = query.Cursor<AuditCursor>(after);
        if (query.Invalid) return Problems.Invalid(query.Errors, StatusCodes.Status400BadRequest);

        var rows = await audit.ListAsync(filter, cursor, pageSize + 1, ct);
        var page = Page<(StatementView View, AuditCursor Key)>.From(rows, pageSize, row => row.Key);
        return Results.Json(new Page<StatementView>(page.Items.Select(r => r.View).ToList(), page.Next), PositionsJson.Options);
    }

    [WolverineGet("/statements/{statementId}")]
    public static async Task<IResult> Get(string statementId, IQuerySession session, CancellationToken ct) =>
        Slug.IsValid(statementId) && await session.LoadAsync<StatementRecord>(statementId, ct) is { } record
            ? Results.Json(StatementView.Of(record), PositionsJson.Options)
            : Problems.NotFound($"No statement '{statementId}'.");
}
