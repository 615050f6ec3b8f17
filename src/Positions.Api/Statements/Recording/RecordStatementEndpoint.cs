using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Positions.Api.Auth;
using Positions.Api.Shared;
using Positions.Api.Web;
using Wolverine.Http;

namespace Positions.Api.Statements.Recording;

public static class RecordStatementEndpoint
{
    // One transaction (Wolverine's transactional middleware commits after this returns): the same event on every
    // holder's stream, and the inline projections with it.
    [WolverinePost("/statements")]
    [EndpointSummary("Record a statement")]
    [EndpointDescription("Appends the statement to the stream of every holder in one transaction. statementId is the idempotency key: the same content again answers 200 and writes nothing, other content 409. Needs an API key.")]
    [Tags("Statements")]
    [ProducesResponseType<StatementAccepted>(201)]
    [ProducesResponseType<StatementAccepted>(200)]
    [ProblemResponse(400)]
    [ProblemResponse(401)]
    [ProblemResponse(409)]
    [ProblemResponse(413)]
    [ProblemResponse(422)]
    public static async Task<IResult> Post(
        StatementInput input, IDocumentSession session, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var statement = StatementRules.Validate(input, clock.GetUtcNow(), errors);
        if (statement is null) return Problems.Invalid(errors);

        var outcome = await StatementRecorder.RecordAsync(session, input.StatementId ?? StatementRecorder.NewStatementId(),
            statement, user.ClientName(), clock, ct);
        return outcome switch
        {
            RecordOutcome.Recorded r => Results.Json(r.Accepted, PositionsJson.Options, statusCode: StatusCodes.Status201Created),
            RecordOutcome.Unchanged u => Results.Json(u.Accepted, PositionsJson.Options),
            RecordOutcome.Conflict c => Problems.Conflict($"Statement '{c.StatementId}' was recorded with other content."),
            RecordOutcome.Rejected r => Problems.Invalid(r.Errors),
            _ => throw new InvalidOperationException("Unknown outcome."),
        };
    }
}
