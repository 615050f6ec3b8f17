using System.Text;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Positions.Api.Positions;
using Positions.Api.Shared;
using Positions.Api.Statements;
using Positions.Api.Web;
using Wolverine.Http;

namespace Positions.Api.Exports;

public static class ShiftsCsv
{
    private static readonly string Header = Csv.Record(
        ["actor", "topic", "kind", "at", "fromStance", "fromSaidAt", "fromStatementId", "toStance", "toStatementId", "provisional", "attribution"]);

    /// <summary>Every shift <c>GET /shifts</c> would list (same filters), newest first, streamed page by page.</summary>
    [DisableRequestTimeout]
    [WolverineGet("/shifts.csv")]
    [EndpointSummary("Export shifts as CSV")]
    [EndpointDescription("Every shift GET /shifts would list (same filters), newest first, one row each (RFC 4180, header row).")]
    [Tags("Exports")]
    [ProducesResponseType(typeof(string), 200, "text/csv")]
    [ProblemResponse(400)]
    public static IResult Get(string? actor, string? topic, string? kind, string? from, string? to, string? firm,
        NpgsqlDataSource database, CancellationToken ct)
    {
        var query = new QueryParameters();
        var filter = ShiftsEndpoint.ReadFilter(query, actor, topic, kind, from, to, firm);
        if (query.Invalid) return Problems.Invalid(query.Errors, StatusCodes.Status400BadRequest);

        return Results.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            await writer.WriteAsync(Header);
            for (ShiftCursor? after = null; ;)
            {
                var page = await ShiftsTable.PageAsync(database, filter, after, StatementsExport.PageSize, ct);
                foreach (var shift in page) await writer.WriteAsync(Row(shift));
                await writer.FlushAsync(ct);
                if (page.Count < StatementsExport.PageSize) return;
                after = ShiftsEndpoint.CursorOf(page[^1]);
            }
        }, Csv.ContentType);
    }

    private static string Row(Shift s) => Csv.Record(
    [
        s.Actor, s.Topic, KebabEnum<ShiftKind>.Name(s.Kind), s.At.ToString(),
        KebabEnum<Stance>.Name(s.From.Stance), s.From.SaidAt.ToString(), s.From.StatementId,
        KebabEnum<Stance>.Name(s.To.Stance), s.To.StatementId, s.Provisional ? "true" : "false", KebabEnum<Attribution>.Name(s.Attribution),
    ]);
}
