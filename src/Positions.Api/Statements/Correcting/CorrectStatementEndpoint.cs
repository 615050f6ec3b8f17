using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Positions.Api.Auth;
using Positions.Api.Shared;
using Positions.Api.Statements.Recording;
using Positions.Api.Statements.Writing;
using Positions.Api.Web;
using Wolverine.Http;

namespace Positions.Api.Statements.Correcting;

/// <summary><c>changes</c> is a merge patch over the statement's fields (all but statementId and actors).</summary>
public sealed record CorrectStatement(JsonElement? Changes, string? Reason);

public static class CorrectStatementEndpoint
{
    private static readonly string[] Uncorrectable = ["statementId", "actors"];

    [WolverinePost("/statements/{statementId}/corrections")]
    [EndpointSummary("Correct a statement")]
    [EndpointDescription("Merge-patches changes over the statement (any field but statementId and actors); the result must pass the same rules as a new statement. Needs an API key.")]
    [Tags("Statements")]
    [ProducesResponseType<RevisionAccepted>(200)]
    [ProblemResponse(400)]
    [ProblemResponse(401)]
    [ProblemResponse(404)]
    [ProblemResponse(413)]
    [ProblemResponse(422)]
    public static async Task<IResult> Post(string statementId, CorrectStatement input, StatementWriter writer,
        ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        if (input is null) return Problems.NoBody();
        var errors = new ValidationErrors();
        if (input.Changes is not { ValueKind: JsonValueKind.Object } changes || !changes.EnumerateObject().Any())
            errors.Add("changes", "must be an object naming at least one field to correct");
        else
            foreach (var field in Uncorrectable.Where(f => changes.TryGetProperty(f, out _)))
                errors.Add($"changes.{field}", "cannot be corrected");
        errors.Check(input.Reason is null || input.Reason.Length <= StatementRules.MaxLongText, "reason", "is too long");
        if (errors.Any) return Problems.Invalid(errors);
        if (!Slug.IsValid(statementId)) return new FollowUpOutcome.NotFound(statementId).ToResult();

        // Whether the corrected statement passes the rules is decided on the statement as the writer finds it.
        var outcome = await writer.FollowUpAsync(
            new Correction(statementId, input.Changes!.Value.Clone(), input.Reason, clock.GetUtcNow(), user.ClientName()), ct);
        return outcome.ToResult();
    }
}
