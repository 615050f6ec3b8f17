using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Positions.Api.Auth;
using Positions.Api.Shared;
using Positions.Api.Statements.Recording;
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
    public static async Task<IResult> Post(string statementId, CorrectStatement input, IDocumentSession session,
        ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (input.Changes is not { ValueKind: JsonValueKind.Object } changes || !changes.EnumerateObject().Any())
            errors.Add("changes", "must be an object naming at least one field to correct");
        else
            foreach (var field in Uncorrectable.Where(f => changes.TryGetProperty(f, out _)))
                errors.Add($"changes.{field}", "cannot be corrected");
        errors.Check(input.Reason is null || input.Reason.Length <= StatementRules.MaxLongText, "reason", "is too long");
        if (errors.Any) return Problems.Invalid(errors);

        var locked = await StatementLookup.LockAndLoadAsync(session, statementId, ct);
        if (locked is null) return Problems.NotFound($"No statement '{statementId}'.");
        var current = locked.Current;

        var corrected = Correct(current.Statement, input.Changes!.Value, clock.GetUtcNow(), errors);
        if (corrected is null) return Problems.Invalid(errors);
        if (corrected.SaysTheSameAs(current.Statement))
            return Results.Json(new RevisionAccepted(statementId, current.Revision), PositionsJson.Options);

        var unknown = await StatementStreams.UnknownIdsAsync(session, corrected, ct);
        if (unknown.Any) return Problems.Invalid(unknown);

        var accepted = await StatementStreams.AppendFollowUpAsync(session, locked,
            revision => new StatementCorrected(statementId, revision, input.Changes.Value.Clone(), input.Reason, corrected, user.ClientName()), ct);
        return Results.Json(accepted, PositionsJson.Options);
    }

    /// <summary>The statement with the changes applied, validated as a new statement would be.</summary>
    private static Statement? Correct(Statement current, JsonElement changes, DateTimeOffset now, ValidationErrors errors)
    {
        var original = JsonSerializer.SerializeToNode(StatementInput.From(current), PositionsJson.Options);
        var patched = MergePatch.Apply(original, JsonNode.Parse(changes.GetRawText()));
        StatementInput? input;
        try
        {
            input = patched.Deserialize<StatementInput>(PositionsJson.Options);
        }
        catch (JsonException)
        {
            errors.Add("changes", "has a field of the wrong type (text, list of text or object expected)");
            return null;
        }
        return StatementRules.Validate(input! with { StatementId = null, Actors = current.Actors }, now, errors);
    }
}
