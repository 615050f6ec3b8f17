using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Positions.Api.Shared;
using Positions.Api.Web;
using Wolverine.Http;

namespace Positions.Api.Health;

public sealed record HealthReport(string Status, string Database, string Projections);

public static class HealthEndpoints
{
    /// <summary>The process answers: for restarts by an orchestrator, never touches the database.</summary>
    [WolverineGet("/health/live")]
    [EndpointSummary("Liveness")]
    [EndpointDescription("The process answers; the database is not consulted.")]
    [Tags("Health")]
    [ProducesResponseType<HealthReport>(200)]
    public static HealthReport Live() => new("live", "not checked", "not checked");

    /// <summary>
    /// Ready to serve: the database answers within two seconds. Every projection runs inline, in the transaction of
    /// the write, so read models cannot lag behind the events.
    /// </summary>
    [WolverineGet("/health/ready")]
    [EndpointSummary("Readiness")]
    [EndpointDescription("Ready when the database answers within two seconds; projections are inline and never lag.")]
    [Tags("Health")]
    [ProducesResponseType<HealthReport>(200)]
    [ProblemResponse(503)]
    public static async Task<IResult> Ready(NpgsqlDataSource database, HttpContext context, CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await using var command = database.CreateCommand("select 1");
            await command.ExecuteScalarAsync(timeout.Token);
            return Results.Json(new HealthReport("ready", "reachable", "inline (no lag)"), PositionsJson.Options);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            context.Response.Headers.RetryAfter = "5";
            return Problems.Problem(StatusCodes.Status503ServiceUnavailable, "Not ready", "The database cannot be reached.");
        }
    }
}
