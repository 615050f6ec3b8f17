using Positions.Api.Shared;

namespace Positions.Api.Statements.Recording;

// The body of POST /statements (and one line of an import) as the client sent it. Everything is optional and
// textual here so that a wrong value is reported field by field (422), not as unreadable JSON (400).

public sealed record SpeakerInput(string? ActorId, string? Name, string? Role);

public sealed record SourceInput(string? Outlet, string? Url, string? PublishedAt, string? Attribution)
{
    public static SourceInput From(Source s) => new(
        s.Outlet, s.Url, s.PublishedAt?.ToString(), KebabEnum<Attribution>.Name(s.Attribution));
}

/// <summary>A commitment as sent: numbers as JSON values, so that text where a number belongs is a 422 naming the field.</summary>
public sealed record CommitmentInput(string? Stage, string? Item, System.Text.Json.JsonElement? Quantity, MoneyInput? Value)
{
    public static CommitmentInput From(Commitment c) => new(
        KebabEnum<CommitmentStage>.Name(c.Stage), c.Item,
        c.Quantity is { } q ? System.Text.Json.JsonSerializer.SerializeToElement(q) : null,
        c.Value is { } v ? new MoneyInput(System.Text.Json.JsonSerializer.SerializeToElement(v.Amount), v.Currency) : null);
}

public sealed record MoneyInput(System.Text.Json.JsonElement? Amount, string? Currency);

public sealed record StatementInput(
    string? StatementId,
    string[]? Actors,
    SpeakerInput? Speaker,
    string? Topic,
    string? Stance,
    string[]? Conditions,
    string? Summary,
    string? Quote,
    string? SaidAt,
    string? SaidAtPrecision,
    SourceInput? Source,
    CommitmentInput? Commitment = null)
{
    public static StatementInput From(Statement s) => new(
        null,
        s.Actors,
        new SpeakerInput(s.Speaker.ActorId, s.Speaker.Name, s.Speaker.Role),
        s.Topic,
        KebabEnum<Stance>.Name(s.Stance),
        s.Conditions,
        s.Summary,
        s.Quote,
        s.SaidAt.ToString(),
        KebabEnum<DatePrecision>.Name(s.SaidAtPrecision),
        SourceInput.From(s.Source),
        s.Commitment is { } c ? CommitmentInput.From(c) : null);
}
