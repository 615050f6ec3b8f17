using Positions.Api.Shared;
using Positions.Api.Statements;

namespace Positions.Api.Commitments;

/// <summary>One rung of an item's ladder: how many in all, and the latest statement that put something on it.</summary>
public sealed record Rung(decimal? Quantity, DateOrInstant At, string StatementId);

public sealed record CommitmentItem(string Topic, string Item, Rung? Pledged, Rung? Delivered, decimal? Outstanding, int? DaysOutstanding);

/// <summary>A statement that counts, with its commitment: its id, what it says, and when it was said.</summary>
public sealed record CommittingStatement(string StatementId, string Topic, DateOrInstant SaidAt, Commitment Commitment);

/// <summary>
/// The pure rules of the commitment ladder: per topic and item (ignoring case), the quantities of every pledge add up,
/// and so do those of every delivery; what is outstanding is pledged minus delivered. A rung whose statements give no
/// quantity has none, and then nothing can be said outstanding in number. Days outstanding count from the first
/// pledge to asOf while something is outstanding (or a pledge with no quantity has seen no delivery).
/// </summary>
public static class CommitmentLadder
{
    public static IReadOnlyList<CommitmentItem> Of(IEnumerable<CommittingStatement> statements, DateTimeOffset asOf) => statements
        .GroupBy(s => (s.Topic, Item: s.Commitment.Item.ToUpperInvariant()))
        .Select(group =>
        {
            var inOrder = group.OrderBy(s => s.SaidAt.Start).ThenBy(s => s.StatementId, StringComparer.Ordinal).ToList();
            var pledges = inOrder.Where(s => s.Commitment.Stage == CommitmentStage.Pledged).ToList();
            var deliveries = inOrder.Where(s => s.Commitment.Stage == CommitmentStage.Delivered).ToList();
            var (pledged, delivered) = (RungOf(pledges), RungOf(deliveries));
            decimal? outstanding = pledged?.Quantity is { } p ? p - (delivered?.Quantity ?? 0) : null;
            var stillOpen = outstanding > 0 || (pledged is not null && pledged.Quantity is null && delivered is null);
            int? days = stillOpen ? (int)Math.Floor((asOf - pledges[0].SaidAt.Start).TotalDays) : null;
            return new CommitmentItem(group.Key.Topic, inOrder[0].Commitment.Item, pledged, delivered, outstanding, days);
        })
        .OrderBy(i => i.Topic, StringComparer.Ordinal).ThenBy(i => i.Item, StringComparer.OrdinalIgnoreCase)
        .ToList();

    private static Rung? RungOf(IReadOnlyList<CommittingStatement> statements)
    {
        if (statements.Count == 0) return null;
        var quantities = statements.Select(s => s.Commitment.Quantity).OfType<decimal>().ToList();
        var latest = statements[^1];
        return new Rung(quantities.Count == 0 ? null : quantities.Sum(), latest.SaidAt, latest.StatementId);
    }
}
