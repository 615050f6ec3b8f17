using Marten;
using Microsoft.AspNetCore.Mvc;
using Positions.Api.Shared;
using Positions.Api.Storage;
using Positions.Api.Web;
using Wolverine.Http;

namespace Positions.Api.Topics;

public sealed record RegisterTopic(string? Id, string? Title, string? Question, string? Parent);

public static class RegisterTopicEndpoint
{
    [WolverinePost("/topics")]
    [EndpointSummary("Register a topic")]
    [EndpointDescription("201 when new, 200 when identical, 409 when the id is taken by other content. Needs an API key.")]
    [Tags("Registries")]
    [ProducesResponseType<Topic>(201)]
    [ProducesResponseType<Topic>(200)]
    [ProblemResponse(400)]
    [ProblemResponse(401)]
    [ProblemResponse(409)]
    [ProblemResponse(413)]
    [ProblemResponse(422)]
    public static async Task<IResult> Post(RegisterTopic input, IDocumentSession session, CancellationToken ct)
    {
        if (input is null) return Problems.NoBody();
        var errors = new ValidationErrors();
        var topic = await ToTopicAsync(input, session, errors, ct);
        if (topic is null) return Problems.Invalid(errors);
        return await Registration.RegisterAsync(session, WriteLocks.Topic(topic.Id), topic.Id, topic, $"/topics/{topic.Id}", ct);
    }

    public static async Task<Topic?> ToTopicAsync(RegisterTopic input, IQuerySession session, ValidationErrors errors, CancellationToken ct)
    {
        errors.Check(Slug.IsValid(input.Id), "id", Slug.Rule);
        errors.Check(!string.IsNullOrWhiteSpace(input.Title) && input.Title.Length <= 300, "title",
            "is required, at most 300 characters");
        errors.Check(input.Question is null || input.Question.Length <= 1000, "question", "must be at most 1000 characters");
        if (input.Parent is not null && errors.Check(Slug.IsValid(input.Parent), "parent", Slug.Rule))
        {
            errors.Check(input.Parent != input.Id, "parent", "must not be the topic itself");
            errors.Check(await session.LoadAsync<Topic>(input.Parent, ct) is not null, "parent", $"unknown topic '{input.Parent}'");
        }
        return errors.Any ? null : new Topic(input.Id!, input.Title!.Trim(), input.Question?.Trim(), input.Parent);
    }
}
