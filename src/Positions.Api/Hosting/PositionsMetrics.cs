using System.Diagnostics.Metrics;

namespace Positions.Api.Hosting;

/// <summary>
/// The measurements that matter for Positions, on the meter <see cref="MeterName"/>: how the one writer batches and how
/// long a batch takes, what it recorded, what imports rejected, how often the current-answer cache answers, and how
/// far behind the primary the standby that served the last read from replicas was.
/// Request latency per route comes from ASP.NET Core's own <c>http.server.request.duration</c>.
/// </summary>
public sealed class PositionsMetrics
{
    public const string MeterName = "Positions";

    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _batchDuration;
    private readonly Counter<long> _recorded;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _cacheLookups;
    private long _replicaLagTicks = -1;

    public PositionsMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _batchSize = meter.CreateHistogram<int>("positions.write.batch.size", "{command}",
            "Commands written in one transaction of the writer (group commit)",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000] });
        _batchDuration = meter.CreateHistogram<double>("positions.write.batch.duration", "s",
            "Time from a batch's first round trip to its commit");
        _recorded = meter.CreateCounter<long>("positions.statements.recorded", "{statement}", "Statements newly recorded");
        _rejected = meter.CreateCounter<long>("positions.import.lines.rejected", "{line}", "Import lines refused with their errors");
        _cacheLookups = meter.CreateCounter<long>("positions.positions_cache.lookups", "{lookup}",
            "Current-answer cache lookups of GET /actors/{id}/positions, by hit");
        meter.CreateObservableGauge("positions.replica.lag", ObserveReplicaLag, "s",
            "How far the watermark of the standby that served the last read from replicas was behind now");
    }

    public void BatchWritten(int commands, TimeSpan took)
    {
        _batchSize.Record(commands);
        _batchDuration.Record(took.TotalSeconds);
    }

    public void Recorded(int statements)
    {
        if (statements > 0) _recorded.Add(statements);
    }

    public void LinesRejected(int lines)
    {
        if (lines > 0) _rejected.Add(lines);
    }

    public void ReplicaLag(TimeSpan lag) => Interlocked.Exchange(ref _replicaLagTicks, Math.Max(0, lag.Ticks));

    /// <summary>Nothing until a standby has served a read (a gauge of 0 would claim a standby that is up to date).</summary>
    private IEnumerable<Measurement<double>> ObserveReplicaLag()
    {
        var ticks = Interlocked.Read(ref _replicaLagTicks);
        return ticks < 0 ? [] : [new Measurement<double>(TimeSpan.FromTicks(ticks).TotalSeconds)];
    }

    public void CacheLookup(bool hit) => _cacheLookups.Add(1, new KeyValuePair<string, object?>("hit", hit));
}
