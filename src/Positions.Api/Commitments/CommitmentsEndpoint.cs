using Marten;
using Microsoft.AspNetCore.Mvc;
using Positions.Api.Actors;
using Positions.Api.Positions;
using Positions.Api.Shared;
using Positions.Api.Statements.Audit;
using Positions.Api.Web;
using Wolverine.Http;

namespace Positions.Api.Commitments;

public sealed record ActorCommitments(string Actor, string AsOf, string KnownAt, IReadOnlyList<CommitmentItem> Items);

public static class CommitmentsEndpoint
{
    /// <summary>
    /// Words, pledges, deliveries: the actor's statements said by asOf, as known at knownAt (corrections and
    /// retractions apply as in the audit list, which they are read from), folded by <see cref="CommitmentLadder"/>.
    /// </summary>
    [WolverineGet("/actors/{id}/commitments")]
    [EndpointSummary("An actor's pledges and deliveries")]
    [EndpointDescription("Per topic and item: what the actor pledged and delivered (quantities added up across statements, the latest statement of each) and what is outstanding, as of asOf and as known at knownAt.")]
    [Tags("Positions")]
    [ProducesResponseType<ActorCommitments>(200)]
    [ProblemResponse(400)]
    [ProblemResponse(404)]
    public static async Task<IResult> Get(string id, string? asOf, string? knownAt, IQuerySession session, AuditReader audit,
        TimeProvider clock, CancellationToken ct)
    {
        var query = new QueryParameters();
        var time = TimeQuery.Read(query, asOf, knownAt, clock);
        if (query.Invalid) return Problems.Invalid(query.Errors, StatusCodes.Status400BadRequest);
        if (!Slug.IsValid(id) || await session.LoadAsync<Actor>(id, ct) is null) return Problems.NotFound($"No actor '{id}'.");

        var committing = await audit.AllAsync(new AuditFilter(id, null, null, null, time.AsOf, time.KnownAt), ct)
            .Where(view => !view.Retracted && view.Commitment is not null)
            .Select(view => new CommittingStatement(view.StatementId, view.Topic, view.SaidAt, view.Commitment!))
            .ToListAsync(ct);
        return Results.Json(new ActorCommitments(id, time.AsOfText, time.KnownAtText, CommitmentLadder.Of(committing, time.AsOf)),
            PositionsJson.Options);
    }
}
