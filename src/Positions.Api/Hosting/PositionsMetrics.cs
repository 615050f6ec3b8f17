using System.Diagnostics.Metrics;

namespace Positions.Api.Hosting;

/// <summary>
/// The measurements that matter for Positions, on the meter <see cref="MeterName"/>: how the one writer batches and how
/// long a batch takes, what it recorded, what imports rejected, and how often the current-answer cache answers.
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

    public void CacheLookup(bool hit) => _cacheLookups.Add(1, new KeyValuePair<string, object?>("hit", hit));
}
