using Marten;
using Microsoft.AspNetCore.Mvc;
using Positions.Api.Shared;
using Positions.Api.Storage;
using Positions.Api.Web;
using Wolverine.Http;

namespace Positions.Api.Actors;

public sealed record RegisterActor(string? Id, string? Name, string? Kind, string? Country);

public static class RegisterActorEndpoint
{
    [WolverinePost("/actors")]
    [EndpointSummary("Register an actor")]
    [EndpointDescription("201 when new, 200 when identical to the registered one, 409 when the id is taken by other content. Needs an API key.")]
    [Tags("Registries")]
    [ProducesResponseType<Actor>(201)]
    [ProducesResponseType<Actor>(200)]
    [ProblemResponse(400)]
    [ProblemResponse(401)]
    [ProblemResponse(409)]
    [ProblemResponse(413)]
    [ProblemResponse(422)]
    public static async Task<IResult> Post(RegisterActor input, IDocumentSession session, CancellationToken ct)
    {
        if (input is null) return Problems.NoBody();
        var errors = new ValidationErrors();
        var actor = ToActor(input, errors);
        if (actor is null) return Problems.Invalid(errors);
        return await Registration.RegisterAsync(session, WriteLocks.Actor(actor.Id), actor.Id, actor, $"/actors/{actor.Id}", ct);
    }

    public static Actor? ToActor(RegisterActor input, ValidationErrors errors)
    {
        errors.Check(Slug.IsValid(input.Id), "id", Slug.Rule);
        errors.Check(!string.IsNullOrWhiteSpace(input.Name) && input.Name.Length <= 300, "name",
            "is required, at most 300 characters");
        errors.Check(KebabEnum<ActorKind>.TryParse(input.Kind, out var kind), "kind", KebabEnum<ActorKind>.Expected);
        if (input.Country is not null)
            errors.Check(Countries.All.Any(c => c.Id == input.Country), "country",
                "must be an ISO 3166-1 alpha-2 code in lower case, e.g. us");
        return errors.Any ? null : new Actor(input.Id!, input.Name!.Trim(), kind, input.Country);
    }
}
