using Marten;
using Microsoft.AspNetCore.Mvc;
using Positions.Api.Positions;
using Positions.Api.Shared;
using Positions.Api.Web;
using Wolverine.Http;

namespace Positions.Api.Statements.Audit;

public static class StatementEndpoints
{
    /// <summary>Audit: who said what when, as known at knownAt, in timeline order.</summary>
    [WolverineGet("/statements")]
    [EndpointSummary("List statements as known at knownAt")]
    [EndpointDescription("Who said what when: statements ordered by saidAt, then recordedAt, each with recordedAt, recordedBy, revision, retracted and sources. Retracted statements stay listed.")]
    [Tags("Audit")]
    [ProducesResponseType<Page<StatementView>>(200)]
    [ProblemResponse(400)]
    public static async Task<IResult> List(string? actor, string? speaker, string? topic, string? from, string? to,
        string? knownAt, string? limit, string? after, AuditReader audit, TimeProvider clock, CancellationToken ct)
    {
        var query = new QueryParameters();
        var filter = AuditFilter.Read(query, actor, speaker, topic, from, to, knownAt, clock);
        var pageSize = query.Limit(limit);
        var cursor = query.Cursor<AuditCursor>(after);
        if (query.Invalid) return Problems.Invalid(query.Errors, StatusCodes.Status400BadRequest);

        var rows = await audit.ListAsync(filter, cursor, pageSize + 1, ct);
        var page = Page<(StatementView View, AuditCursor Key)>.From(rows, pageSize, row => row.Key);
        return Results.Json(new Page<StatementView>(page.Items.Select(r => r.View).ToList(), page.Next), PositionsJson.Options);
    }

    [WolverineGet("/statements/{statementId}")]
    [EndpointSummary("Get a statement with its revisions")]
    [EndpointDescription("The statement as now known, its sources (the original first) and every revision: who recorded, corrected, retracted or sourced it, and when.")]
    [Tags("Audit")]
    [ProducesResponseType<StatementView>(200)]
    [ProblemResponse(404)]
    public static async Task<IResult> Get(string statementId, Npgsql.NpgsqlDataSource database, CancellationToken ct) =>
        Slug.IsValid(statementId) && await StatementsTable.LoadAsync(database, statementId, ct) is { } record
            ? Results.Json(StatementView.Of(record), PositionsJson.Options)
            : Problems.NotFound($"No statement '{statementId}'.");
}
