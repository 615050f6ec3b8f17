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
            Now = now,
            AsOfIsNow = asOf is null,
            KnownAtIsNow = knownAt is null,
        };
    }

    /// <summary>When the read was asked: what asOf and knownAt default to.</summary>
    public DateTimeOffset Now { get; private init; }
    public bool AsOfIsNow { get; private init; }
    public bool KnownAtIsNow { get; private init; }

    /// <summary>
    /// The same read as known at <paramref name="instant"/> instead of now: what a standby that is complete through
    /// that instant answers exactly.
    /// </summary>
    public TimeQuery KnownThrough(DateTimeOffset instant) => this with { KnownAt = instant, KnownAtIsNow = false };

    public string AsOfText => DateOrInstant.FormatInstant(AsOf);
    public string KnownAtText => DateOrInstant.FormatInstant(KnownAt);
}
