using Positions.Api.Positions;
using Positions.Api.Statements;

namespace Positions.Api.Series;

/// <summary>One actor's line of a series: its score and whether its run is provisional at the end of each step (null: no position).</summary>
public sealed record ActorSeries(string Actor, int?[] Scores, bool?[] Provisional)
{
    /// <summary>
    /// One pass over an actor's timeline (its entries in timeline order, each counting as of its saidAt) and the
    /// steps' ends together: the position at a step's end is that of the entries said by then, a prefix of the
    /// timeline, so each entry is looked at once. The current run's strength is kept as the prefix grows.
    /// </summary>
    public static ActorSeries Of(string actor, IReadOnlyList<TimelineEntry> timeline, IReadOnlyList<DateTimeOffset> stepEnds)
    {
        var (scores, provisional) = (new int?[stepEnds.Count], new bool?[stepEnds.Count]);
        var next = 0;
        TimelineEntry? latest = null;
        var runStrongest = Attribution.Reported;
        for (var step = 0; step < stepEnds.Count; step++)
        {
            for (; next < timeline.Count && timeline[next].SaidAt.Start <= stepEnds[step]; next++)
            {
                var entry = timeline[next];
                var sameRun = latest is not null && latest.Stance == entry.Stance
                              && latest.Conditions.SequenceEqual(entry.Conditions, StringComparer.Ordinal);
                runStrongest = sameRun && runStrongest < entry.Attribution ? runStrongest : entry.Attribution;
                latest = entry;
            }
            if (latest is null) continue;
            scores[step] = latest.Stance.Score();
            provisional[step] = !runStrongest.IsFirm();
        }
        return new ActorSeries(actor, scores, provisional);
    }
}
