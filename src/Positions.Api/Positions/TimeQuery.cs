using Positions.Api.Shared;

namespace Positions.Api.Positions;

/// <summary>The (asOf, knownAt) of a read: valid time and transaction time, both defaulting to now.</summary>
public sealed record TimeQuery(DateTimeOffset AsOf, DateTimeOffset KnownAt)
{
    public static TimeQuery Read(QueryParameters query, string? asOf, string? knownAt, TimeProvider clock)
    {
        var now = DateOrInstant.Truncate(clock.GetUtcNow());
        return new TimeQuery(query.UpperBound("asOf", asOf, now), query.UpperBound("knownAt", knownAt, now))
        {
            IsNow = asOf is null && knownAt is null,
        };
    }

    /// <summary>Neither asOf nor knownAt was given: the answer as things stand and as they are known now.</summary>
    public bool IsNow { get; private init; }

    public string AsOfText => DateOrInstant.FormatInstant(AsOf);
    public string KnownAtText => DateOrInstant.FormatInstant(KnownAt);
}
