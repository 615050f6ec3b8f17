using Npgsql;
using Positions.Api.Storage;

namespace Positions.Api.Tests.Integration;

/// <summary>
/// The replica watermark never passes a write still in flight: a standby that has replayed it has every write at or
/// before it. A write holds the append gate from before it reads its transaction time until it commits.
/// </summary>
[Collection(IntegrationCollection.Name)]
public class ReplicaWatermarkTests(PositionsApp app)
{
    [Fact]
    public async Task the_watermark_stays_before_a_write_in_flight_and_passes_it_once_it_commits()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var owner = new NpgsqlConnection(app.ConnectionString);
        await owner.OpenAsync(ct);
        await using (var reset = new NpgsqlCommand($"delete from {ReplicaWatermark.Name}", owner)) await reset.ExecuteNonQueryAsync(ct);

        await using var writer = new NpgsqlConnection(app.ConnectionString);
        await writer.OpenAsync(ct);
        await using var transaction = await writer.BeginTransactionAsync(ct);
        await using var locks = new NpgsqlBatch(writer, transaction) { BatchCommands = { WriteLocks.Command([WriteLocks.Actor("watermark-test")]) } };
        var writtenAt = new DateTimeOffset((DateTime)(await locks.ExecuteScalarAsync(ct))!);
        await Task.Delay(50, ct); // the write "takes its time" before it commits

        await ReplicaWatermark.AdvanceAsync(owner, ct);
        var whileInFlight = await WatermarkAsync(owner, ct);
        Assert.True(whileInFlight < writtenAt, $"the watermark {whileInFlight:O} passed a write in flight at {writtenAt:O}");

        await transaction.CommitAsync(ct);
        await ReplicaWatermark.AdvanceAsync(owner, ct);
        var afterCommit = await WatermarkAsync(owner, ct);
        Assert.True(afterCommit >= writtenAt, $"the watermark {afterCommit:O} stayed before a committed write at {writtenAt:O}");
    }

    private static async Task<DateTimeOffset> WatermarkAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select known_through from {ReplicaWatermark.Name} where id = 1", connection);
        return new DateTimeOffset((DateTime)(await command.ExecuteScalarAsync(ct))!);
    }
}
