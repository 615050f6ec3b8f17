namespace Positions.Api.Statements;

/// <summary>The stance a statement takes; its numeric value is the <c>score</c> of API.md.</summary>
public enum Stance
{
    StronglyOpposes = -2,
    Opposes = -1,
    Neutral = 0,
    Supports = 1,
    StronglySupports = 2,
}

/// <summary>
/// How precisely <c>saidAt</c> is known: the day, week, month or year it begins, or (<c>on-or-before</c>) only that it
/// was said by then, as when a report of that date gives no date for what it relays.
/// </summary>
public enum DatePrecision { Day, Week, Month, Year, OnOrBefore }

/// <summary>How far a commitment has come: promised, or handed over.</summary>
public enum CommitmentStage { Pledged, Delivered }

/// <summary>Whose words a report carries, strongest first (the read models keep the order as a number).</summary>
public enum Attribution { OnRecord, OfficialStatement, Spokesperson, AnonymousOfficials, Reported }

public static class AttributionExtensions
{
    /// <summary>On the record, an official statement or a spokesperson: the actor's own words, not a report of them.</summary>
    public static bool IsFirm(this Attribution attribution) => attribution <= Attribution.Spokesperson;

    public static Attribution Strongest(this IEnumerable<Attribution> attributions) => attributions.Min();
}

public static class StanceExtensions
{
    public static int Score(this Stance stance) => (int)stance;
}
