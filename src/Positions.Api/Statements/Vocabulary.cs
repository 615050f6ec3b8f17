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

/// <summary>Whose words a report carries.</summary>
public enum Attribution { OnRecord, OfficialStatement, Spokesperson, AnonymousOfficials, Reported }

public static class StanceExtensions
{
    public static int Score(this Stance stance) => (int)stance;
}
