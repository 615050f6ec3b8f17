using System.Text.Json;
using System.Text.Json.Nodes;
using Positions.Api.Shared;
using Positions.Api.Statements.Recording;
using Positions.Api.Statements.Writing;

namespace Positions.Api.Statements.Correcting;

/// <summary>
/// A correction: <c>Changes</c>, a merge patch, over the statement as it stands when the writer reaches it. The result
/// must pass the rules of a new statement as of <c>RequestedAt</c>; a correction that changes nothing writes nothing.
/// </summary>
public sealed record Correction(string StatementId, JsonElement Changes, string? Reason, DateTimeOffset RequestedAt, string RecordedBy)
    : FollowUp(StatementId, RecordedBy)
{
    public override IEnumerable<string> TopicsNamed =>
        Changes.TryGetProperty("topic", out var topic) && topic.ValueKind == JsonValueKind.String ? [topic.GetString()!] : [];

    public override FollowUpDecision Decide(StatementRecord current, int nextRevision, IReadOnlySet<string> knownTopics)
    {
        var errors = new ValidationErrors();
        var corrected = Apply(current.Statement, errors);
        if (corrected is null) return new FollowUpDecision.Invalid(errors);
        if (corrected.SaysTheSameAs(current.Statement)) return new FollowUpDecision.NoChange();
        // Topics are never removed: only a topic the correction moves the statement to needs checking.
        if (corrected.Topic != current.Statement.Topic && !knownTopics.Contains(corrected.Topic))
        {
            errors.Add("topic", $"unknown topic: {corrected.Topic}");
            return new FollowUpDecision.Invalid(errors);
        }
        return new FollowUpDecision.Append(new StatementCorrected(StatementId, nextRevision, Changes, Reason, corrected, RecordedBy));
    }

    /// <summary>The statement with the changes applied, validated as a new statement would be.</summary>
    private Statement? Apply(Statement current, ValidationErrors errors)
    {
        var original = JsonSerializer.SerializeToNode(StatementInput.From(current), PositionsJson.Options);
        var patched = MergePatch.Apply(original, JsonNode.Parse(Changes.GetRawText()));
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
        return StatementRules.Validate(input! with { StatementId = null, Actors = current.Actors }, RequestedAt, errors);
    }
}
