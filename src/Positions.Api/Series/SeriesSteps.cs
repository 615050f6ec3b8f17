using System.Globalization;

namespace Positions.Api.Series;

public enum Step { Day, Week, Month, Year }

/// <summary>
/// The steps of a series: the calendar days, weeks (ISO: Monday to Sunday), months or years that meet [from, to], each
/// named by its last day. A value is read as of the end of that day (UTC).
/// </summary>
public static class SeriesSteps
{
    public const int MaxSteps = 1000;

    /// <summary>The last day of every step from the one holding <paramref name="from"/> to the one holding <paramref name="to"/>.</summary>
    public static IEnumerable<DateOnly> Ends(DateOnly from, DateOnly to, Step step)
    {
        for (var end = EndOf(from, step); ; end = EndOf(end.AddDays(1), step))
        {
            yield return end;
            if (end >= to) yield break;
        }
    }

    /// <summary>How many steps <see cref="Ends"/> gives, without listing them (to refuse a series too long at once).</summary>
    public static long Count(DateOnly from, DateOnly to, Step step) => step switch
    {
        Step.Day => to.DayNumber - from.DayNumber + 1,
        Step.Week => (EndOf(to, Step.Week).DayNumber - EndOf(from, Step.Week).DayNumber) / 7 + 1,
        Step.Month => (to.Year - from.Year) * 12L + to.Month - from.Month + 1,
        _ => to.Year - from.Year + 1,
    };

    private static DateOnly EndOf(DateOnly day, Step step) => step switch
    {
        Step.Day => day,
        // ISO weeks end on Sunday.
        Step.Week => day.AddDays((7 - (int)day.DayOfWeek) % 7),
        Step.Month => new DateOnly(day.Year, day.Month, DateTime.DaysInMonth(day.Year, day.Month)),
        _ => new DateOnly(day.Year, 12, 31),
    };

    public static string Name(DateOnly end) => end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
