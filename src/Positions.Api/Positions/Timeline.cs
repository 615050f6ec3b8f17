using Positions.Api.Shared;
using Positions.Api.Statements;

namespace Positions.Api.Positions;

/// <summary>
/// One statement that counts for an actor on a topic at the (asOf, knownAt) being asked about, with the strongest
/// attribution among its sources as known at knownAt.
/// </summary>
public sealed record TimelineEntry(
    string StatementId, DateOrInstant SaidAt, Stance Stance, string[] Conditions, DateTimeOffset FirstRecordedAt,
    Attribution Attribution);

public enum ShiftKind { FullFlop, HalfFlip, NoFlip }

public sealed record HistoryEntry(
    string StatementId, DateOrInstant SaidAt, Stance Stance, int Score, string[] Conditions, ShiftKind? Shift,
    Attribution Attribution);

/// <summary>
/// A run's strength: the strongest attribution among its statements, and whether that is still only a report
/// (<c>provisional</c>: none of them is firm).
/// </summary>
public sealed record RunStrength(Attribution Attribution, bool Provisional)
{
    public static RunStrength Of(IEnumerable<TimelineEntry> run)
    {
        var strongest = run.Select(e => e.Attribution).Strongest();
        return new RunStrength(strongest, !strongest.IsFirm());
    }
}

public sealed record PreviousRun(Stance Stance, int Score, DateOrInstant Since, string StatementId, bool Provisional,
    Attribution Attribution);

/// <summary>The shift into the current run; provisional when that run is.</summary>
public sealed record LastShift(ShiftKind Kind, DateOrInstant At, Stance From, Stance To, bool Provisional, Attribution Attribution);

public sealed record Position(
    string Topic,
    Stance Stance,
    int Score,
    string[] Conditions,
    DateOrInstant Since,
    DateOrInstant LastStatedAt,
    string StatementId,
    PreviousRun? Previous,
    LastShift? LastShift,
    bool Provisional,
    Attribution Attribution);

/// <summary>
/// A shift between two consecutive statements: the statement before, the one that changed, and the strength of the
/// run it begins (a shift is provisional when that run is).
/// </summary>
public sealed record ShiftPair(ShiftKind Kind, TimelineEntry From, TimelineEntry To, RunStrength Begins);

/// <summary>
/// The pure rules of API.md: statements ordered by saidAt then first recording, runs of equal stance and
/// conditions, and the kind of each change. No clock, no database: the same entries always give the same answer.
/// </summary>
public static class Timeline
{
    public static IReadOnlyList<TimelineEntry> Order(IEnumerable<TimelineEntry> entries) =>
        entries.OrderBy(e => e.SaidAt.Start)
            .ThenBy(e => e.FirstRecordedAt)
            .ThenBy(e => e.StatementId, StringComparer.Ordinal)
            .ToList();

    public static ShiftKind Classify(TimelineEntry before, TimelineEntry after)
    {
        if (Math.Sign(before.Stance.Score()) * Math.Sign(after.Stance.Score()) < 0) return ShiftKind.FullFlop;
        return SameRun(before, after) ? ShiftKind.NoFlip : ShiftKind.HalfFlip;
    }

    /// <summary>Every shift (not reaffirmations) in entries already in timeline order.</summary>
    public static IEnumerable<ShiftPair> Shifts(IReadOnlyList<TimelineEntry> ordered)
    {
        for (var i = 1; i < ordered.Count; i++)
        {
            var kind = Classify(ordered[i - 1], ordered[i]);
            if (kind == ShiftKind.NoFlip) continue;
            var runEnd = i + 1;
            while (runEnd < ordered.Count && SameRun(ordered[runEnd - 1], ordered[runEnd])) runEnd++;
            yield return new ShiftPair(kind, ordered[i - 1], ordered[i], RunStrength.Of(ordered.Take(runEnd).Skip(i)));
        }
    }

    public static IReadOnlyList<HistoryEntry> History(IReadOnlyList<TimelineEntry> ordered) =>
        ordered.Select((entry, i) => new HistoryEntry(
                entry.StatementId, entry.SaidAt, entry.Stance, entry.Stance.Score(), entry.Conditions,
                i == 0 ? null : Classify(ordered[i - 1], entry), entry.Attribution))
            .ToList();

    /// <summary>The current position on a topic from its entries in timeline order; null when none counts.</summary>
    public static Position? Current(string topic, IReadOnlyList<TimelineEntry> ordered)
    {
        if (ordered.Count == 0) return null;

        var latest = ordered[^1];
        var currentRunStart = RunStartBefore(ordered, ordered.Count);
        var current = ordered[currentRunStart];

        var strength = RunStrength.Of(ordered.Skip(currentRunStart));
        PreviousRun? previous = null;
        LastShift? lastShift = null;
        if (currentRunStart > 0)
        {
            var previousRunStart = RunStartBefore(ordered, currentRunStart);
            var previousRun = ordered[previousRunStart];
            var previousStrength = RunStrength.Of(ordered.Take(currentRunStart).Skip(previousRunStart));
            previous = new PreviousRun(previousRun.Stance, previousRun.Stance.Score(), previousRun.SaidAt, previousRun.StatementId,
                previousStrength.Provisional, previousStrength.Attribution);
            lastShift = new LastShift(Classify(previousRun, current), current.SaidAt, previousRun.Stance, current.Stance,
                strength.Provisional, strength.Attribution);
        }

        return new Position(topic, current.Stance, current.Stance.Score(), current.Conditions, current.SaidAt,
            latest.SaidAt, latest.StatementId, previous, lastShift, strength.Provisional, strength.Attribution);
    }

    /// <summary>
    /// Whether the last entries of a timeline (in timeline order) give the same <see cref="Current"/> as the whole of
    /// it. Current reads the latest entry and the starts of the current and the previous run; a run's start is certain
    /// once an entry of another run is seen before it. So a tail decides when it is the whole timeline or holds three
    /// runs or more; with fewer, the earliest run it shows may begin before it.
    /// </summary>
    public static bool TailDecidesCurrent(IReadOnlyList<TimelineEntry> tail, bool isWholeTimeline)
    {
        if (isWholeTimeline) return true;
        var runs = tail.Count == 0 ? 0 : 1;
        for (var i = 1; i < tail.Count && runs < 3; i++)
            if (!SameRun(tail[i - 1], tail[i])) runs++;
        return runs >= 3;
    }

    /// <summary>Index of the first entry of the run that ends just before <paramref name="end"/>.</summary>
    private static int RunStartBefore(IReadOnlyList<TimelineEntry> ordered, int end)
    {
        var start = end - 1;
        while (start > 0 && SameRun(ordered[start - 1], ordered[start])) start--;
        return start;
    }

    private static bool SameRun(TimelineEntry a, TimelineEntry b) =>
        a.Stance == b.Stance && a.Conditions.SequenceEqual(b.Conditions, StringComparer.Ordinal);
}
