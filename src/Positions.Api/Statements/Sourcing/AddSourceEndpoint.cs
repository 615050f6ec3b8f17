using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Positions.Api.Auth;
using Positions.Api.Shared;
using Positions.Api.Statements.Recording;
using Positions.Api.Statements.Writing;
using Positions.Api.Web;
using Wolverine.Http;

namespace Positions.Api.Statements.Sourcing;

public static class AddSourceEndpoint
{
    /// <summary>Another report of the same statement (corroboration).</summary>
    [WolverinePost("/statements/{statementId}/sources")]
    [EndpointSummary("Add a source to a statement")]
    [EndpointDescription("Another report of the same statement (corroboration). Needs an API key.")]
    [Tags("Statements")]
    [ProducesResponseType<RevisionAccepted>(200)]
    [ProblemResponse(400)]
    [ProblemResponse(401)]
    [ProblemResponse(404)]
    [ProblemResponse(413)]
    [ProblemResponse(422)]
    public static async Task<IResult> Post(string statementId, SourceInput input, StatementWriter writer,
        ClaimsPrincipal user, CancellationToken ct)
    {
        if (input is null) return Problems.NoBody();
        var errors = new ValidationErrors();
        var source = StatementRules.ValidateSource(input, "", errors);
        if (source is null) return Problems.Invalid(errors);
        if (!Slug.IsValid(statementId)) return new FollowUpOutcome.NotFound(statementId).ToResult();
        return (await writer.FollowUpAsync(new NewSource(statementId, source, user.ClientName()), ct)).ToResult();
    }
}
