using Positions.Api.Shared;

namespace Positions.Api.Positions;

/// <summary>The (asOf, knownAt) of a read: valid time and transaction time, both defaulting to now.</summary>
public sealed record TimeQuery(DateTimeOffset AsOf, DateTimeOffset KnownAt)
{
    public static TimeQuery Read(QueryParameters query, string? asOf, string? knownAt, TimeProvider clock)
    {
        var now = DateOrInstant.Truncate(clock.GetUtcNow());
        return new TimeQuery(query.UpperBound("asOf", asOf, now), query.UpperBound("knownAt", knownAt, now));
    }

    public string AsOfText => DateOrInstant.FormatInstant(AsOf);
    public string KnownAtText => DateOrInstant.FormatInstant(KnownAt);
}
