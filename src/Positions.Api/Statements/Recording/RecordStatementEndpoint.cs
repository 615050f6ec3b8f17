using System.Security.Claims;
using Positions.Api.Statements.Importing;
using Positions.Api.Statements.Writing;
using Microsoft.AspNetCore.Mvc;
using Positions.Api.Auth;
using Positions.Api.Shared;
using Positions.Api.Web;
using Wolverine.Http;

namespace Positions.Api.Statements.Recording;

public static class RecordStatementEndpoint
{
    // The statement writer appends the same event to every holder's stream in one transaction, with the read models,
    // gathered with whatever other writes are waiting (group commit); this request gets its own outcome.
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
        StatementInput input, StatementWriter writer, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        if (input is null) return Problems.NoBody();
        var errors = new ValidationErrors();
        var statement = StatementRules.Validate(input, clock.GetUtcNow(), errors);
        if (statement is null) return Problems.Invalid(errors);

        var outcome = await writer.RecordAsync(
            new PendingLine(1, input.StatementId ?? RecordOutcome.NewStatementId(), statement, user.ClientName()), ct);
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
