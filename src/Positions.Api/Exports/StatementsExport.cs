using System.Text.Json;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Mvc;
using Positions.Api.Shared;
using Positions.Api.Statements.Audit;
using Positions.Api.Web;
using Wolverine.Http;

namespace Positions.Api.Exports;

public static class StatementsExport
{
    public const string ContentType = "application/x-ndjson";

    /// <summary>Rows read from the database per page of the exports; what is in memory at once.</summary>
    public const int PageSize = 1000;

    private static readonly ReadOnlyMemory<byte> NewLine = "\n"u8.ToArray();

    /// <summary>
    /// Every statement <c>GET /statements</c> would list, as one JSON object a line, page by page: the answer is
    /// never held whole. Each line is a <c>POST /imports</c> line (the extra fields are what the record adds).
    /// </summary>
    [DisableRequestTimeout]
    [WolverineGet("/statements.ndjson")]
    [EndpointSummary("Export statements as NDJSON")]
    [EndpointDescription("Every statement GET /statements would list (same filters, knownAt included), one JSON object a line, streamed. Each line is a valid POST /imports line; a retracted one imports as recorded and then retracted.")]
    [Tags("Exports")]
    [ProducesResponseType(typeof(string), 200, ContentType)]
    [ProblemResponse(400)]
    public static IResult Get(string? actor, string? speaker, string? topic, string? from, string? to, string? knownAt,
        AuditReader audit, TimeProvider clock, CancellationToken ct)
    {
        var query = new QueryParameters();
        var filter = AuditFilter.Read(query, actor, speaker, topic, from, to, knownAt, clock);
        if (query.Invalid) return Problems.Invalid(query.Errors, StatusCodes.Status400BadRequest);

        return Results.Stream(async body =>
        {
            await foreach (var view in audit.AllAsync(filter, ct))
            {
                await JsonSerializer.SerializeAsync(body, view, PositionsJson.Options, ct);
                await body.WriteAsync(NewLine, ct);
            }
        }, ContentType);
    }
}
