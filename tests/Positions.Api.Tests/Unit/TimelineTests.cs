using Positions.Api.Positions;
using Positions.Api.Shared;
using Positions.Api.Statements;

namespace Positions.Api.Tests.Unit;

public class TimelineTests
{
    private static readonly DateTimeOffset Recorded = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static TimelineEntry Said(string id, string date, Stance stance, params string[] conditions) =>
        new(id, DateOrInstant.FromDate(DateOnly.Parse(date)), stance, conditions, Recorded, Attribution.OnRecord);

    [Theory]
    [InlineData(Stance.StronglyOpposes, Stance.Supports, ShiftKind.FullFlop)]
    [InlineData(Stance.Supports, Stance.Opposes, ShiftKind.FullFlop)]
    [InlineData(Stance.Opposes, Stance.StronglyOpposes, ShiftKind.HalfFlip)]
    [InlineData(Stance.Opposes, Stance.Neutral, ShiftKind.HalfFlip)]
    [InlineData(Stance.Neutral, Stance.Supports, ShiftKind.HalfFlip)]
    [InlineData(Stance.Supports, Stance.Supports, ShiftKind.NoFlip)]
    public void shift_kind_follows_the_sign_of_the_score(Stance before, Stance after, ShiftKind expected) =>
        Assert.Equal(expected, Timeline.Classify(Said("a", "2025-01-01", before), Said("b", "2025-02-01", after)));

    [Fact]
    public void a_change_of_conditions_alone_is_a_half_flip() =>
        Assert.Equal(ShiftKind.HalfFlip,
            Timeline.Classify(Said("a", "2025-01-01", Stance.Supports), Said("b", "2025-02-01", Stance.Supports, "if Europe sends troops")));

    [Fact]
    public void entries_are_ordered_by_said_at_then_first_recording()
    {
        var late = Said("late", "2025-01-01", Stance.Opposes) with { FirstRecordedAt = Recorded.AddDays(5) };
        var early = Said("early", "2025-01-01", Stance.Supports) with { FirstRecordedAt = Recorded };
        var before = Said("before", "2024-12-31", Stance.Neutral) with { FirstRecordedAt = Recorded.AddDays(9) };

        var ordered = Timeline.Order([late, early, before]);

        Assert.Equal(["before", "early", "late"], ordered.Select(e => e.StatementId));
    }

    [Fact]
    public void us_moving_from_ruling_out_to_conditional_support_is_a_full_flop_with_a_run()
    {
        var timeline = Timeline.Order([
            Said("ruled-out", "2025-02-12", Stance.StronglyOpposes),
            Said("coordinate", "2025-08-19", Stance.Supports, "Europe commits troops"),
            Said("capabilities", "2025-08-26", Stance.Supports, "Europe commits troops"),
        ]);

        var current = Timeline.Current("guarantees", timeline)!;

        Assert.Equal(Stance.Supports, current.Stance);
        Assert.Equal("2025-08-19", current.Since.ToString());
        Assert.Equal("2025-08-26", current.LastStatedAt.ToString());
        Assert.Equal("capabilities", current.StatementId);
        Assert.Equal(new PreviousRun(Stance.StronglyOpposes, -2, DateOrInstant.FromDate(new DateOnly(2025, 2, 12)), "ruled-out",
            Provisional: false, Attribution.OnRecord), current.Previous);
        Assert.Equal(ShiftKind.FullFlop, current.LastShift!.Kind);
        Assert.Equal("2025-08-19", current.LastShift.At.ToString());
    }

    [Fact]
    public void previous_names_the_statement_that_began_the_run_before()
    {
        var timeline = Timeline.Order([
            Said("a", "2025-01-01", Stance.Opposes),
            Said("b", "2025-02-01", Stance.Opposes),
            Said("c", "2025-03-01", Stance.Neutral),
        ]);

        var current = Timeline.Current("t", timeline)!;

        Assert.Equal("a", current.Previous!.StatementId);
        Assert.Equal("2025-01-01", current.Previous.Since.ToString());
        Assert.Equal(ShiftKind.HalfFlip, current.LastShift!.Kind);
    }

    [Fact]
    public void a_reaffirmation_has_no_previous_and_no_shift()
    {
        var current = Timeline.Current("t", Timeline.Order([Said("a", "2025-01-01", Stance.Opposes), Said("b", "2025-02-01", Stance.Opposes)]))!;

        Assert.Null(current.Previous);
        Assert.Null(current.LastShift);
        Assert.Equal("2025-01-01", current.Since.ToString());
        Assert.Equal("b", current.StatementId);
    }

    [Fact]
    public void history_marks_each_entry_against_the_one_before()
    {
        var history = Timeline.History(Timeline.Order([
            Said("a", "2025-01-01", Stance.Opposes),
            Said("b", "2025-02-01", Stance.Opposes),
            Said("c", "2025-03-01", Stance.Supports),
        ]));

        Assert.Equal([null, ShiftKind.NoFlip, ShiftKind.FullFlop], history.Select(h => h.Shift));
    }

    [Fact]
    public void shifts_leave_out_reaffirmations()
    {
        var shifts = Timeline.Shifts(Timeline.Order([
            Said("a", "2025-01-01", Stance.Opposes),
            Said("b", "2025-02-01", Stance.Opposes),
            Said("c", "2025-03-01", Stance.Supports),
        ])).ToList();

        var shift = Assert.Single(shifts);
        Assert.Equal(("b", "c", ShiftKind.FullFlop), (shift.From.StatementId, shift.To.StatementId, shift.Kind));
    }

    [Fact]
    public void nothing_counts_means_no_current_position() => Assert.Null(Timeline.Current("t", []));

    [Fact]
    public void a_tail_holding_three_runs_decides_the_current_position()
    {
        var timeline = Timeline.Order([
            Said("a", "2025-01-01", Stance.Neutral),
            Said("b", "2025-02-01", Stance.Opposes),
            Said("c", "2025-03-01", Stance.Opposes),
            Said("d", "2025-04-01", Stance.Supports),
            Said("e", "2025-05-01", Stance.Supports, "if Europe sends troops"),
        ]);
        var tail = timeline.Skip(2).ToList();

        Assert.True(Timeline.TailDecidesCurrent(tail, isWholeTimeline: false));
        Assert.Equal(Timeline.Current("t", timeline), Timeline.Current("t", tail));
    }

    [Fact]
    public void a_tail_of_two_runs_decides_only_when_it_is_the_whole_timeline()
    {
        var timeline = Timeline.Order([
            Said("a", "2025-01-01", Stance.Opposes),
            Said("b", "2025-02-01", Stance.Opposes),
            Said("c", "2025-03-01", Stance.Supports),
        ]);
        var tail = timeline.Skip(1).ToList();

        Assert.False(Timeline.TailDecidesCurrent(tail, isWholeTimeline: false));
        Assert.True(Timeline.TailDecidesCurrent(timeline, isWholeTimeline: true));
        Assert.NotEqual(Timeline.Current("t", timeline), Timeline.Current("t", tail));
    }

    [Fact]
    public void a_run_longer_than_the_tail_leaves_its_start_to_the_whole_timeline()
    {
        var timeline = Timeline.Order([
            Said("ruled-out", "2024-12-01", Stance.StronglyOpposes),
            .. Enumerable.Range(1, 12).Select(day => Said($"support-{day}", $"2025-01-{day:00}", Stance.Supports)),
        ]);
        var tail = timeline.TakeLast(8).ToList();

        Assert.False(Timeline.TailDecidesCurrent(tail, isWholeTimeline: false));
        var current = Timeline.Current("t", timeline)!;
        Assert.Equal(("2025-01-01", "ruled-out"), (current.Since.ToString(), current.Previous!.StatementId));
    }

    [Fact]
    public void whenever_a_tail_decides_it_gives_the_current_position_of_the_whole_timeline()
    {
        var random = new Random(20251128);
        Stance[] stances = [Stance.Opposes, Stance.Neutral, Stance.Supports];
        string[][] conditions = [[], [], ["if Europe sends troops"]];
        var decided = 0;
        for (var round = 0; round < 500; round++)
        {
            var timeline = Timeline.Order(Enumerable.Range(0, random.Next(0, 30)).Select(i => Said(
                $"s{i:00}", $"2025-{i / 28 + 1:00}-{i % 28 + 1:00}", stances[random.Next(stances.Length)],
                conditions[random.Next(conditions.Length)])));
            for (var length = 0; length <= timeline.Count; length++)
            {
                var tail = timeline.TakeLast(length).ToList();
                if (!Timeline.TailDecidesCurrent(tail, isWholeTimeline: length == timeline.Count)) continue;
                decided++;
                Assert.Equal(Timeline.Current("t", timeline), Timeline.Current("t", tail));
            }
        }
        Assert.True(decided > 1000, $"only {decided} tails decided");
    }

    [Fact]
    public void a_run_is_provisional_until_one_of_its_statements_is_firm_and_says_its_strongest_attribution()
    {
        var timeline = Timeline.Order([
            Said("ruled-out", "2025-02-12", Stance.StronglyOpposes) with { Attribution = Attribution.Reported },
            Said("coordinate", "2025-08-19", Stance.Supports) with { Attribution = Attribution.AnonymousOfficials },
            Said("capabilities", "2025-08-26", Stance.Supports) with { Attribution = Attribution.Reported },
        ]);

        var current = Timeline.Current("guarantees", timeline)!;
        Assert.Equal((true, Attribution.AnonymousOfficials), (current.Provisional, current.Attribution));
        Assert.Equal((true, Attribution.Reported), (current.Previous!.Provisional, current.Previous.Attribution));
        Assert.True(current.LastShift!.Provisional);
        Assert.Equal(new RunStrength(Attribution.AnonymousOfficials, true), Timeline.Shifts(timeline).Single().Begins);

        var confirmed = Timeline.Order([.. timeline, Said("on-record", "2025-09-01", Stance.Supports) with { Attribution = Attribution.Spokesperson }]);
        var firm = Timeline.Current("guarantees", confirmed)!;
        Assert.Equal((false, Attribution.Spokesperson), (firm.Provisional, firm.Attribution));
        Assert.False(Timeline.Shifts(confirmed).Single().Begins.Provisional);
    }

    [Fact]
    public void a_shift_is_as_strong_as_the_run_it_begins_and_no_more()
    {
        var timeline = Timeline.Order([
            Said("a", "2025-01-01", Stance.Opposes),
            Said("b", "2025-02-01", Stance.Supports) with { Attribution = Attribution.Reported },
            Said("c", "2025-03-01", Stance.Opposes) with { Attribution = Attribution.AnonymousOfficials },
            Said("d", "2025-04-01", Stance.Opposes) with { Attribution = Attribution.OfficialStatement },
        ]);

        Assert.Equal([(Attribution.Reported, true), (Attribution.OfficialStatement, false)],
            Timeline.Shifts(timeline).Select(s => (s.Begins.Attribution, s.Begins.Provisional)));
    }
}
