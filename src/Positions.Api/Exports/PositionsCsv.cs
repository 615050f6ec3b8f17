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

public static class PositionsCsv
{
    private static readonly string Header = Csv.Record(
        ["actor", "topic", "stance", "score", "conditions", "since", "lastStatedAt", "statementId", "provisional", "attribution", "asOf", "knownAt"]);

    /// <summary>
    /// Every actor's position on every topic as of asOf and as known at knownAt (or one actor's, or one topic's), one
    /// row each, ordered by actor then topic; streamed one timeline at a time.
    /// </summary>
    [DisableRequestTimeout]
    [WolverineGet("/positions.csv")]
    [EndpointSummary("Export positions as CSV")]
    [EndpointDescription("One row per actor and topic with a position as of asOf and as known at knownAt (RFC 4180, header row; conditions joined by ';'), optionally for one actor or one topic, ordered by actor then topic.")]
    [Tags("Exports")]
    [ProducesResponseType(typeof(string), 200, "text/csv")]
    [ProblemResponse(400)]
    public static IResult Get(string? asOf, string? knownAt, string? topic, string? actor, RevisionReader revisions,
        NpgsqlDataSource database, TimeProvider clock, CancellationToken ct)
    {
        var query = new QueryParameters();
        var time = TimeQuery.Read(query, asOf, knownAt, clock);
        var (actorId, topicId) = (query.Id("actor", actor), query.Id("topic", topic));
        if (query.Invalid) return Problems.Invalid(query.Errors, StatusCodes.Status400BadRequest);

        return Results.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            await writer.WriteAsync(Header);
            await using var connection = await database.OpenConnectionAsync(ct);
            await foreach (var timeline in revisions.TimelinesAsync(connection, actorId, topicId, time.AsOf, time.KnownAt, ct))
                if (Timeline.Current(timeline.Topic, timeline.Entries) is { } position)
                    await writer.WriteAsync(Row(timeline.Actor, position, time));
        }, Csv.ContentType);
    }

    private static string Row(string actor, Position p, TimeQuery time) => Csv.Record(
    [
        actor, p.Topic, KebabEnum<Stance>.Name(p.Stance), p.Score.ToString(System.Globalization.CultureInfo.InvariantCulture),
        string.Join(';', p.Conditions), p.Since.ToString(), p.LastStatedAt.ToString(), p.StatementId,
        p.Provisional ? "true" : "false", KebabEnum<Attribution>.Name(p.Attribution), time.AsOfText, time.KnownAtText,
    ]);
}
