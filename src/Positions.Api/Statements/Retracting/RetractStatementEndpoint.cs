using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Positions.Api.Auth;
using Positions.Api.Shared;
using Positions.Api.Statements.Recording;
using Positions.Api.Statements.Writing;
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
    public static async Task<IResult> Post(string statementId, RetractStatement input, StatementWriter writer,
        ClaimsPrincipal user, CancellationToken ct)
    {
        if (input is null) return Problems.NoBody();
        if (input.Reason is { Length: > StatementRules.MaxLongText })
            return Problems.Invalid(Single("reason", "is too long"));
        if (!Slug.IsValid(statementId)) return new FollowUpOutcome.NotFound(statementId).ToResult();
        return (await writer.FollowUpAsync(new Retraction(statementId, input.Reason, user.ClientName()), ct)).ToResult();
    }

    private static ValidationErrors Single(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return errors;
    }
}
