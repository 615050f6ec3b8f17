using Positions.Api.Shared;

namespace Positions.Api.Statements;

/// <summary>Who spoke. Anonymous or unregistered speakers have only a name.</summary>
public sealed record Speaker(string? ActorId, string Name, string? Role);

/// <summary>One report of a statement.</summary>
public sealed record Source(string Outlet, string? Url, DateOrInstant? PublishedAt, Attribution Attribution);

/// <summary>A sum of money in an ISO 4217 currency.</summary>
public sealed record Money(decimal Amount, string Currency);

/// <summary>
/// The commitment ladder: words (a statement with no commitment), then a pledge of something, then its delivery.
/// Only the stage and the item are known always; how many and what it is worth when the report says.
/// </summary>
public sealed record Commitment(CommitmentStage Stage, string Item, decimal? Quantity, Money? Value);

/// <summary>
/// What a statement says, as one revision states it: every field of a <c>POST /statements</c> body but the id.
/// Events carry it whole, so each projection builds from the event alone.
/// </summary>
public sealed record Statement(
    string[] Actors,
    Speaker Speaker,
    string Topic,
    Stance Stance,
    string[] Conditions,
    string? Summary,
    string? Quote,
    DateOrInstant SaidAt,
    DatePrecision SaidAtPrecision,
    Source Source,
    Commitment? Commitment = null)
{
    /// <summary>Same words: records compare arrays by reference, the idempotency check needs their contents.</summary>
    public bool SaysTheSameAs(Statement other) =>
        this with { Actors = other.Actors, Conditions = other.Conditions } == other
        && Actors.SequenceEqual(other.Actors)
        && Conditions.SequenceEqual(other.Conditions);
}
