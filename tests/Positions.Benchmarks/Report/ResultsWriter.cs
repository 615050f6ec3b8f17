using System.Globalization;
using System.Text;
using Positions.Benchmarks.Load;
using Positions.Benchmarks.Phases;
using static Positions.Benchmarks.Report.Stats;

namespace Positions.Benchmarks.Report;

/// <summary>Everything one harness run measured, with what it needs to say how it was measured.</summary>
public sealed record BenchResults(
    BenchOptions Options,
    string CommandLine,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    string LoadAtStart,
    string LoadAtEnd,
    string Database,
    string PostgresVersion,
    string DatasetSummary,
    IReadOnlyList<ImportRun> Imports,
    FollowUpReport FollowUps,
    IReadOnlyList<double> ColdStartSeconds,
    IReadOnlyList<HttpRun> Http,
    (long Peak, long Median, int Samples) Rss,
    IReadOnlyList<RebuildRun> Rebuilds,
    string ReadNotes,
    bool SameAnswerAfterRebuild,
    IReadOnlyList<ScaleOutRun>? ScaleOut = null);

public static class ResultsWriter
{
    public static IReadOnlyList<Figure> Figures(BenchResults r)
    {
        var importRate = Median(r.Imports.Select(i => i.ServiceRate));
        var copyRate = Median(r.Imports.Select(i => i.CopyRate));
        var p2 = Median(r.Http.Select(h => h.WriteService.Throughput));
        var p2Bare = Median(r.Http.Select(h => h.WriteBare.Throughput));
        var p2P99 = Median(r.Http.Select(h => h.WriteService.P99Ms));
        var p2BareP99 = Median(r.Http.Select(h => h.WriteBare.P99Ms));
        var p2Errors = r.Http.Sum(h => h.WriteService.Errors);
        var p3 = Median(r.Http.Select(h => h.ReadService.Throughput));
        var p3Bare = Median(r.Http.Select(h => h.ReadBare.Throughput));
        var p3P99 = Median(r.Http.Select(h => h.ReadService.P99Ms));
        var p3BareP99 = Median(r.Http.Select(h => h.ReadBare.P99Ms));
        var p3Errors = r.Http.Sum(h => h.ReadService.Errors);
        var p4 = Median(r.Http.Select(h => h.ReadPast.Throughput));
        var p4Errors = r.Http.Sum(h => h.ReadPast.Errors);
        var shiftRuns = r.Http.Where(h => h.Shifts is not null).ToList();
        var p8 = shiftRuns.Count == 0 ? 0 : Median(shiftRuns.Select(h => h.Shifts!.Throughput));
        var p8Errors = shiftRuns.Sum(h => h.Shifts!.Errors);
        var rebuild = Median(r.Rebuilds.Select(b => b.RebuildRate));
        var scan = Median(r.Rebuilds.Select(b => b.ScanRate));
        var rebuildReadErrors = r.Rebuilds.Sum(b => b.ReadErrors);
        var rebuildFailed = r.Rebuilds.Any(b => b.ExitCode != 0);
        var coldStart = Median(r.ColdStartSeconds);
        var peakMb = r.Rss.Peak / 1048576.0;

        Figure[] all =
        [
            new("P1", "import, statements/s (end to end until readable)", N(importRate), $"COPY {N(copyRate)} lines/s",
                X(importRate / copyRate), "≥ 0.25×", importRate / copyRate >= 0.25,
                Pairs(r.Imports.Select(i => i.ServiceRate / i.CopyRate))),
            new("P2", $"POST /statements, req/s ({r.Options.WriteClients} clients)", N(p2), $"bare INSERT {N(p2Bare)}",
                X(p2 / p2Bare), "≥ 0.5×", p2 / p2Bare >= 0.5 && p2Errors == 0 && p2P99 <= 2 * p2BareP99,
                Pairs(r.Http.Select(h => h.WriteService.Throughput / h.WriteBare.Throughput))),
            new("P2", "POST /statements p99 ms", Ms(p2P99), $"bare {Ms(p2BareP99)}", X(p2P99 / p2BareP99), "≤ 2×",
                p2P99 <= 2 * p2BareP99, Pairs(r.Http.Select(h => h.WriteService.P99Ms / h.WriteBare.P99Ms))),
            new("P2", "POST /statements errors (all runs)", p2Errors.ToString(CultureInfo.InvariantCulture), "", "", "0", p2Errors == 0),
            new("P3", $"GET /actors/{{id}}/positions, req/s ({r.Options.ReadClients} clients)", N(p3), $"bare SELECT {N(p3Bare)}",
                X(p3 / p3Bare), "≥ 1.0×", p3 / p3Bare >= 1.0 && p3Errors == 0,
                Pairs(r.Http.Select(h => h.ReadService.Throughput / h.ReadBare.Throughput))),
            new("P3", "GET positions p99 ms", Ms(p3P99), $"bare {Ms(p3BareP99)}", X(p3P99 / p3BareP99), "≤ 2×", p3P99 <= 2 * p3BareP99,
                Pairs(r.Http.Select(h => h.ReadService.P99Ms / h.ReadBare.P99Ms))),
            new("P4", "GET positions, asOf and knownAt in the past and different on every request, req/s", N(p4),
                $"bare SELECT {N(p3Bare)}", X(p4 / p3Bare), "≥ 0.5×", p4 / p3Bare >= 0.5 && p4Errors == 0,
                Pairs(r.Http.Select(h => h.ReadPast.Throughput / h.ReadBare.Throughput))),
            new("P8", "GET /shifts: newest page, one actor's, a year far back, req/s", N(p8), $"bare SELECT {N(p3Bare)}",
                X(p8 / p3Bare), "≥ 0.5×", p8 / p3Bare >= 0.5 && p8Errors == 0,
                Pairs(shiftRuns.Select(h => h.Shifts!.Throughput / h.ReadBare.Throughput))),
            new("P5", "read-model rebuild, events/s", N(rebuild), $"scan {N(scan)} events/s", X(rebuild / scan), "≥ 50,000/s",
                rebuild >= 50_000 && !rebuildFailed, Pairs(r.Rebuilds.Select(b => b.RebuildRate / b.ScanRate))),
            new("P5", "reads failed or changed during rebuild (all runs)", rebuildReadErrors.ToString(CultureInfo.InvariantCulture), "", "", "0",
                rebuildReadErrors == 0),
            new("P6", "service RSS peak under P2+P3+P4+P8, MB", $"{peakMb:F0}", $"median {r.Rss.Median / 1048576.0:F0} MB", "", "≤ 250 MB",
                peakMb <= 250),
            new("P7", "cold start to first 200 on /actors/us, s", $"{coldStart:F2}", "", "", "≤ 2 s", coldStart <= 2),
        ];
        return all.Where(f => !r.Options.Skips(f.Id)).ToArray();
    }

    public static string Markdown(BenchResults r)
    {
        var o = r.Options;
        var md = new StringBuilder();
        md.AppendLine($"# Positions benchmark: {o.Statements:N0} statements, {o.Actors} actors, {o.Topics} topics");
        md.AppendLine();
        if (o.Label is not null) md.AppendLine($"**{o.Label}**\n");
        md.AppendLine($"- date: {r.StartedAt:yyyy-MM-dd HH:mm} UTC, took {r.Duration:hh\\:mm\\:ss}");
        md.AppendLine($"- command: `{r.CommandLine}`");
        md.AppendLine($"- commit: {Machine.Commit()}");
        md.AppendLine($"- machine: {Machine.Cpu()}, {Environment.ProcessorCount} cores, {Machine.Memory()} RAM, {Machine.Os()}, .NET {Environment.Version}");
        md.AppendLine($"- PostgreSQL {r.PostgresVersion}, {r.Database}, same machine");
        md.AppendLine($"- load average (1/5/15 min) at start: {r.LoadAtStart}; at end: {r.LoadAtEnd} (the machine is shared)");
        md.AppendLine($"- data: {r.DatasetSummary}");
        md.AppendLine($"- service: Release build, production mode, seeds off, rate limiting off, request timeout {o.RequestTimeoutSeconds} s (default 30 s)");
        if (o.Skip.Count > 0) md.AppendLine($"- skipped: {string.Join(", ", o.Skip)}");
        md.AppendLine($"- runs: {o.Runs}; load figures: {o.WarmupSeconds} s warm-up then {o.MeasureSeconds} s measured, each service figure beside its baseline in the same run");
        md.AppendLine();
        md.AppendLine("## Medians and targets");
        md.AppendLine();
        md.AppendLine("| figure | what | median | baseline (median) | ratio of medians | paired ratio per run | target | result |");
        md.AppendLine("|---|---|---:|---:|---:|---|---|---|");
        foreach (var f in Figures(r))
            md.AppendLine($"| {f.Id} | {f.What} | {f.Value} | {f.Baseline} | {f.Ratio} | {f.PerRun} | {f.Target} | {(f.Pass ? "pass" : "**FAIL**")} |");
        md.AppendLine();
        md.AppendLine("## Every run");
        md.AppendLine();
        md.AppendLine("P1 import (each run imports its own share of the data set into the growing database):");
        md.AppendLine();
        md.AppendLine("| run | lines | MB | service s | service lines/s | recorded | unchanged | rejected | COPY s | COPY lines/s |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var i in r.Imports)
            md.AppendLine($"| {i.Run} | {i.Lines} | {i.Bytes / 1048576.0:F1} | {i.ServiceSeconds:F1} | {N(i.ServiceRate)} | {i.Recorded} | {i.Unchanged} | {i.Rejected} | {i.CopySeconds:F2} | {N(i.CopyRate)} |");
        md.AppendLine();
        md.AppendLine($"Follow-ups after import: {r.FollowUps.Corrections} corrections, {r.FollowUps.Retractions} retractions in {r.FollowUps.Seconds:F1} s, {r.FollowUps.Errors} errors"
                      + (r.FollowUps.FirstError is null ? "." : $" (first: {r.FollowUps.FirstError})."));
        md.AppendLine();
        md.AppendLine("P2–P4 and P8 load (req/s, p50/p99 ms, errors):");
        md.AppendLine();
        md.AppendLine("| run | figure | req/s | p50 | p99 | max | errors | load (1 min) |");
        md.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|");
        foreach (var h in r.Http)
            foreach (var l in new[] { h.WriteService, h.WriteBare, h.ReadService, h.ReadBare, h.ReadPast, h.Shifts }.OfType<LoadResult>())
                md.AppendLine($"| {h.Run} | {l.Name.Replace($" run {h.Run}", "")} | {N(l.Throughput)} | {l.P50Ms:F1} | {l.P99Ms:F1} | {l.MaxMs:F0} | {l.Errors} | {l.LoadAverage} |");
        var firstErrors = r.Http.SelectMany(h => new[] { h.WriteService, h.ReadService, h.ReadPast, h.Shifts }.OfType<LoadResult>()).Select(l => l.FirstError).Where(e => e is not null).Distinct().ToList();
        if (firstErrors.Count > 0) md.AppendLine($"\nFirst errors: {string.Join("; ", firstErrors)}");
        md.AppendLine();
        md.AppendLine(r.ReadNotes);
        md.AppendLine();
        md.AppendLine($"P6: {r.Rss.Samples} VmRSS samples of the service process every 250 ms during P2–P4.");
        md.AppendLine();
        md.AppendLine("P5 rebuild (`dotnet Positions.Api.dll rebuild`, its own process, while the service answers 2 readers of the P4 path, each answer compared with the one before):");
        md.AppendLine();
        md.AppendLine("| run | events | exit | rebuild s | events/s | command start s | events/s after start | reads meanwhile | read errors | read p99 ms | read max ms | scan s | scan events/s |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var b in r.Rebuilds)
            md.AppendLine($"| {b.Run} | {b.Events} | {b.ExitCode} | {b.RebuildSeconds:F1} | {N(b.RebuildRate)} | {b.CommandStartSeconds:F1} | {N(b.RebuildRateAfterStart)} | {b.Reads} | {b.ReadErrors} | {b.ReadP99Ms:F0} | {b.ReadMaxMs:F0} | {b.ScanSeconds:F2} | {N(b.ScanRate)} |");
        md.AppendLine();
        md.AppendLine("The P5 figure counts the whole command (process start included); \"command start\" is how long the same dll takes to run `help`.");
        md.AppendLine();
        md.AppendLine($"The P4 answer (fixed asOf and knownAt) after the rebuilds is {(r.SameAnswerAfterRebuild ? "identical to" : "**different from**")} the one before.");
        md.AppendLine();
        md.AppendLine($"P7 cold starts (process start to first 200 on /actors/us, production mode, loaded database): {string.Join(", ", r.ColdStartSeconds.Select(s => $"{s:F2} s"))}.");
        if (r.ScaleOut is { Count: > 0 } scaleOut)
        {
            md.AppendLine();
            md.AppendLine($"Scale-out (`--scale-out`): P2's {o.WriteClients} writers spread round-robin over 1, 2 and 3 instances on the one database:");
            md.AppendLine();
            md.AppendLine("| instances | req/s | p50 ms | p99 ms | errors | load (1 min) |");
            md.AppendLine("|---:|---:|---:|---:|---:|---:|");
            foreach (var s in scaleOut)
                md.AppendLine($"| {s.Instances} | {N(s.Writes.Throughput)} | {s.Writes.P50Ms:F1} | {s.Writes.P99Ms:F1} | {s.Writes.Errors} | {s.Writes.LoadAverage} |");
        }
        return md.ToString();
    }

    private static string Pairs(IEnumerable<double> ratios) => string.Join(", ", ratios.Select(X));

    private static string N(double v) => double.IsFinite(v) ? v.ToString("N0", CultureInfo.InvariantCulture) : "n/a";
    private static string Ms(double v) => double.IsFinite(v) ? v.ToString("F1", CultureInfo.InvariantCulture) : "n/a";
    private static string X(double v) =>
        !double.IsFinite(v) ? "n/a" : v.ToString(v < 0.1 ? "G2" : "F2", CultureInfo.InvariantCulture) + "×";
}
