using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Positions.Api.Auth;
using Positions.Api.Shared;
using Positions.Api.Statements.Recording;
using Positions.Api.Web;
using Wolverine.Http;

namespace Positions.Api.Statements.Retracting;

public sealed record RetractStatement(string? Reason);

public static class RetractStatementEndpoint
{
    [WolverinePost("/statements/{statementId}/retraction")]
    [EndpointSummary("Retract a statement")]
    [EndpointDescription("From now on the statement no longer counts; what was known before stays answerable with knownAt. Retracting again answers 200 and writes nothing. Needs an API key.")]
    [Tags("Statements")]
    [ProducesResponseType<RevisionAccepted>(200)]
    [ProblemResponse(400)]
    [ProblemResponse(401)]
    [ProblemResponse(404)]
    [ProblemResponse(413)]
    [ProblemResponse(422)]
    public static async Task<IResult> Post(string statementId, RetractStatement input, IDocumentSession session,
        ClaimsPrincipal user, CancellationToken ct)
    {
        if (input.Reason is { Length: > StatementRules.MaxLongText })
            return Problems.Invalid(Single("reason", "is too long"));

        var locked = await StatementLookup.LockAndLoadAsync(session, statementId, ct);
        if (locked is null) return Problems.NotFound($"No statement '{statementId}'.");
        var current = locked.Current;
        // Retracting twice changes nothing: the first retraction stands.
        if (current.Retracted) return Results.Json(new RevisionAccepted(statementId, current.Revision), PositionsJson.Options);

        var accepted = await StatementStreams.AppendFollowUpAsync(session, locked,
            revision => new StatementRetracted(statementId, revision, input.Reason, current.Statement.Topic, user.ClientName()), ct);
        return Results.Json(accepted, PositionsJson.Options);
    }

    private static ValidationErrors Single(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return errors;
    }
}
