using Positions.Api.Positions;
using Positions.Api.Series;
using Positions.Api.Shared;
using Positions.Api.Statements;

namespace Positions.Api.Tests.Unit;

public class SeriesTests
{
    private static readonly DateTimeOffset Recorded = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2025-01-15", "2025-04-02", Step.Month, "2025-01-31 2025-02-28 2025-03-31 2025-04-30")]
    [InlineData("2024-02-10", "2024-03-01", Step.Month, "2024-02-29 2024-03-31")]
    [InlineData("2025-08-20", "2025-09-01", Step.Week, "2025-08-24 2025-08-31 2025-09-07")]
    [InlineData("2025-08-24", "2025-08-24", Step.Week, "2025-08-24")]
    [InlineData("2025-12-30", "2026-01-01", Step.Day, "2025-12-30 2025-12-31 2026-01-01")]
    [InlineData("2024-06-01", "2026-01-01", Step.Year, "2024-12-31 2025-12-31 2026-12-31")]
    public void steps_are_the_calendar_periods_that_meet_the_range_named_by_their_last_day(string from, string to, Step step, string expected)
    {
        var ends = SeriesSteps.Ends(DateOnly.Parse(from), DateOnly.Parse(to), step).ToList();
        Assert.Equal(expected, string.Join(' ', ends.Select(SeriesSteps.Name)));
        Assert.Equal(ends.Count, SeriesSteps.Count(DateOnly.Parse(from), DateOnly.Parse(to), step));
    }

    [Fact]
    public void each_step_holds_the_position_as_of_its_end_and_whether_its_run_is_provisional()
    {
        TimelineEntry Said(string id, string date, Stance stance, Attribution attribution) =>
            new(id, DateOrInstant.FromDate(DateOnly.Parse(date)), stance, [], Recorded, attribution);
        var timeline = Timeline.Order([
            Said("a", "2025-02-10", Stance.StronglyOpposes, Attribution.OnRecord),
            Said("b", "2025-04-01", Stance.Supports, Attribution.Reported),
            Said("c", "2025-04-30", Stance.Supports, Attribution.Spokesperson),
            Said("d", "2025-06-15", Stance.Neutral, Attribution.AnonymousOfficials),
        ]);
        var ends = SeriesSteps.Ends(new DateOnly(2025, 1, 1), new DateOnly(2025, 6, 30), Step.Month)
            .Select(e => DateOrInstant.FromDate(e).EndInclusive).ToList();

        var series = ActorSeries.Of("x", timeline, ends);

        Assert.Equal([null, -2, -2, 1, 1, 0], series.Scores);
        Assert.Equal([null, false, false, false, false, true], series.Provisional);
        // The pure fold says the same at every step's end.
        for (var i = 0; i < ends.Count; i++)
        {
            var current = Timeline.Current("t", timeline.Where(e => e.SaidAt.Start <= ends[i]).ToList());
            Assert.Equal((current?.Score, current?.Provisional), (series.Scores[i], series.Provisional[i]));
        }
    }
}
