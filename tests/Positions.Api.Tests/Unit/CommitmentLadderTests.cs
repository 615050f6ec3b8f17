using Positions.Api.Commitments;
using Positions.Api.Shared;
using Positions.Api.Statements;

namespace Positions.Api.Tests.Unit;

public class CommitmentLadderTests
{
    private static readonly DateTimeOffset AsOf = new(2025, 9, 30, 23, 59, 59, TimeSpan.Zero);

    private static CommittingStatement Said(string id, string date, CommitmentStage stage, string item, decimal? quantity, string topic = "air") =>
        new(id, topic, DateOrInstant.FromDate(DateOnly.Parse(date)), new Commitment(stage, item, quantity, null));

    [Fact]
    public void quantities_add_up_across_statements_and_outstanding_is_pledged_minus_delivered()
    {
        var items = CommitmentLadder.Of([
            Said("p1", "2025-08-01", CommitmentStage.Pledged, "Patriot air defence system", 2),
            Said("p2", "2025-08-20", CommitmentStage.Pledged, "patriot air defence system", 1),
            Said("d1", "2025-09-10", CommitmentStage.Delivered, "Patriot air defence system", 1),
        ], AsOf);

        var patriots = Assert.Single(items);
        Assert.Equal(("Patriot air defence system", 3m, "p2", 1m, "d1"),
            (patriots.Item, patriots.Pledged!.Quantity, patriots.Pledged.StatementId, patriots.Delivered!.Quantity, patriots.Delivered.StatementId));
        Assert.Equal((2m, 60), (patriots.Outstanding, patriots.DaysOutstanding));
    }

    [Fact]
    public void what_is_delivered_in_full_is_not_outstanding_and_a_rung_without_numbers_has_none()
    {
        var items = CommitmentLadder.Of([
            Said("p", "2025-08-01", CommitmentStage.Pledged, "IRIS-T", 4),
            Said("d", "2025-09-01", CommitmentStage.Delivered, "IRIS-T", 4),
            Said("costs", "2025-08-26", CommitmentStage.Pledged, "Restoration costs", null),
            Said("other", "2025-08-26", CommitmentStage.Pledged, "IRIS-T", 1, topic: "another-topic"),
        ], AsOf);

        Assert.Equal(["IRIS-T", "Restoration costs", "IRIS-T"], items.Select(i => i.Item));
        Assert.Equal((0m, (int?)null), (items[0].Outstanding, items[0].DaysOutstanding));
        Assert.Equal(((decimal?)null, (decimal?)null, 35), (items[1].Pledged!.Quantity, items[1].Outstanding, items[1].DaysOutstanding));
        Assert.Null(items[1].Delivered);
        Assert.Equal("another-topic", items[2].Topic);
    }
}
