using System.Text.Json;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Mvc;
using Positions.Api.Shared;
using Positions.Api.Statements;
using Positions.Api.Statements.Audit;
using Positions.Api.Web;
using Wolverine.Http;

namespace Positions.Api.Exports;

/// <summary>An event record in the manner of PLOVER (the Political Language Ontology for Verifiable Event Records).</summary>
public sealed record PloverEvent(
    string Id, string Actor, string? Recipient, string EventType, string? Mode, string Context, string Date,
    DatePrecision DatePrecision, PloverSource Source, Attribution Attribution, string StatementId);

public sealed record PloverSource(string Outlet, string? Url, string? PublishedAt);

/// <summary>
/// Statements as PLOVER-style event records, one per holder: the mapping of API.md ("PLOVER"). Positions records
/// positions, not interactions, so a record's recipient is unknown (null) and its event type says what the actor
/// did with words or with things.
/// </summary>
public static class PloverExport
{
    public const string ContentType = "application/json";

    /// <summary>The PLOVER event type and mode of a statement: what it commits to first, else its stance.</summary>
    public static (string EventType, string? Mode) Classify(Statement s) => s.Commitment switch
    {
        { Stage: CommitmentStage.Delivered } => ("AID", "delivered"),
        { Stage: CommitmentStage.Pledged } => ("AGREE", "pledge"),
        _ => s.Stance switch
        {
            Stance.StronglySupports or Stance.Supports => ("SUPPORT", s.Conditions.Length > 0 ? "conditional" : null),
            Stance.Neutral => ("CONSULT", null),
            _ => ("REJECT", s.Stance == Stance.StronglyOpposes ? "strong" : null),
        },
    };

    [DisableRequestTimeout]
    [WolverineGet("/statements.plover.json")]
    [EndpointSummary("Export statements as PLOVER-style event records")]
    [EndpointDescription("Every statement GET /statements would list (same filters, knownAt included) that still counts, one event record per holder: actor, recipient (null: Positions records none), event type and mode (the mapping of API.md), context, date and precision, source and attribution. A JSON array, streamed.")]
    [Tags("Exports")]
    [ProducesResponseType<PloverEvent[]>(200)]
    [ProblemResponse(400)]
    public static IResult Get(string? actor, string? speaker, string? topic, string? from, string? to, string? knownAt,
        AuditReader audit, TimeProvider clock, CancellationToken ct)
    {
        var query = new QueryParameters();
        var filter = AuditFilter.Read(query, actor, speaker, topic, from, to, knownAt, clock);
        if (query.Invalid) return Problems.Invalid(query.Errors, StatusCodes.Status400BadRequest);

        return Results.Stream(async body =>
        {
            await using var json = new Utf8JsonWriter(body);
            json.WriteStartArray();
            await foreach (var view in audit.AllAsync(filter, ct))
            {
                if (view.Retracted) continue;
                foreach (var record in Records(view)) JsonSerializer.Serialize(json, record, PositionsJson.Options);
                if (json.BytesPending > 64 * 1024) await json.FlushAsync(ct);
            }
            json.WriteEndArray();
            await json.FlushAsync(ct);
        }, ContentType);
    }

    private static IEnumerable<PloverEvent> Records(StatementView v)
    {
        var statement = new Statement(v.Actors, v.Speaker, v.Topic, v.Stance, v.Conditions, v.Summary, v.Quote, v.SaidAt,
            v.SaidAtPrecision, v.Source, v.Commitment);
        var (eventType, mode) = Classify(statement);
        var context = v.Conditions.Length == 0 ? v.Topic : $"{v.Topic}; on condition: {string.Join("; ", v.Conditions)}";
        var strongest = v.Sources.Select(s => s.Attribution).Append(v.Source.Attribution).Strongest();
        return v.Actors.Select(holder => new PloverEvent(
            v.Actors.Length == 1 ? v.StatementId : $"{v.StatementId}/{holder}", holder, null, eventType, mode, context,
            v.SaidAt.Start.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), v.SaidAtPrecision,
            new PloverSource(v.Source.Outlet, v.Source.Url, v.Source.PublishedAt?.ToString()), strongest, v.StatementId));
    }
}
