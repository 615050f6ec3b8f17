using System.Diagnostics;
using Positions.Benchmarks.Baseline;
using Positions.Benchmarks.Load;
using Positions.Benchmarks.Service;

namespace Positions.Benchmarks.Phases;

public sealed record RebuildRun(int Run, long Events, double RebuildSeconds, int ExitCode, long Reads, long ReadErrors,
    double ReadP99Ms, double ReadMaxMs, double ScanSeconds, string? FirstReadError, double CommandStartSeconds)
{
    public double RebuildRate => Events / RebuildSeconds;
    /// <summary>The rate without the fixed cost of starting the command, which dominates at small sizes.</summary>
    public double RebuildRateAfterStart => Events / Math.Max(0.001, RebuildSeconds - CommandStartSeconds);
    public double ScanRate => Events / ScanSeconds;
}

/// <summary>
/// P5: `dotnet Positions.Api.dll rebuild` as its own process against the live database while the running service
/// keeps answering a light read load, each answer checked against the one before the rebuild (a read that fails or
/// differs counts as an error); the baseline is one scan of every event's data.
/// </summary>
public static class RebuildBench
{
    private const int Readers = 2;

    public static async Task<RebuildRun> RunAsync(int run, ServiceUnderTest service, BenchDatabase db, BenchOptions options,
        string readPath, string expectedAnswer)
    {
        var events = await db.ScalarAsync<long>("select count(*) from mt_events");
        var commandStart = await CommandStartSecondsAsync(db, options);

        using var stopReads = new CancellationTokenSource();
        using var client = service.Client(Readers, TimeSpan.FromSeconds(60));
        var reads = Enumerable.Range(0, Readers).Select(_ => Task.Run(() => ReadLoop(client, readPath, expectedAnswer, stopReads.Token))).ToArray();

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(ServiceUnderTest.Command(db.ConnectionString, options, ["rebuild"]))!;
        using var cleanup = Cleanup.Register(() => process.Kill(entireProcessTree: true));
        var output = new ServiceOutput(process);
        using (Progress.Every(TimeSpan.FromSeconds(5), () => $"  P5 run {run}: rebuilding {events} events, {clock.Elapsed.TotalSeconds:F0} s"))
            await process.WaitForExitAsync();
        var rebuildSeconds = clock.Elapsed.TotalSeconds;
        await stopReads.CancelAsync();
        var loops = await Task.WhenAll(reads);
        if (process.ExitCode != 0) Console.WriteLine($"  P5 run {run}: rebuild exited with {process.ExitCode}:\n{output.Tail()}");

        var latencies = loops.SelectMany(l => l.Latencies).Order().ToArray();
        Console.WriteLine($"  P5 run {run} rebuild: {events / rebuildSeconds:F0} events/s ({rebuildSeconds:F1} s), " +
                          $"{latencies.Length} reads meanwhile, {loops.Sum(l => l.Errors)} errors, p99 {LoadGenerator.Percentile(latencies, 0.99):F0} ms");

        clock.Restart();
        await db.ExecuteAsync("select count(*), sum(length(data::text)) from mt_events");
        var scanSeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"  P5 run {run} scan baseline: {events / scanSeconds:F0} events/s ({scanSeconds:F2} s)");

        return new RebuildRun(run, events, rebuildSeconds, process.ExitCode, latencies.Length, loops.Sum(l => l.Errors),
            LoadGenerator.Percentile(latencies, 0.99), latencies.Length == 0 ? 0 : latencies[^1], scanSeconds,
            loops.Select(l => l.FirstError).FirstOrDefault(e => e is not null), commandStart);
    }

    /// <summary>How long the same dll takes to start, build its host and run a command that does nothing (`help`).</summary>
    private static async Task<double> CommandStartSecondsAsync(BenchDatabase db, BenchOptions options)
    {
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(ServiceUnderTest.Command(db.ConnectionString, options, ["help"]))!;
        _ = new ServiceOutput(process);
        await process.WaitForExitAsync();
        return clock.Elapsed.TotalSeconds;
    }

    private sealed record ReadLoopResult(List<double> Latencies, long Errors, string? FirstError);

    private static async Task<ReadLoopResult> ReadLoop(HttpClient client, string path, string expected, CancellationToken stop)
    {
        var latencies = new List<double>();
        long errors = 0;
        string? firstError = null;
        while (!stop.IsCancellationRequested)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                using var answer = await client.GetAsync(path, CancellationToken.None);
                var body = await answer.Content.ReadAsStringAsync(CancellationToken.None);
                if (answer.IsSuccessStatusCode && body == expected) latencies.Add(clock.Elapsed.TotalMilliseconds);
                else if (answer.IsSuccessStatusCode)
                {
                    errors++;
                    firstError ??= "an answer that differed from the one before the rebuild";
                }
                else
                {
                    errors++;
                    firstError ??= $"{(int)answer.StatusCode}";
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                errors++;
                firstError ??= e.Message;
            }
            // A light load: reads keep flowing without competing hard with the rebuild for the two cores.
            await Task.Delay(20, CancellationToken.None);
        }
        return new ReadLoopResult(latencies, errors, firstError);
    }
}
