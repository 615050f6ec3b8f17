using System.Diagnostics;

namespace Positions.Benchmarks.Load;

/// <summary>What one timed load gave: throughput over the measured window, latency percentiles, errors.</summary>
public sealed record LoadResult(string Name, int Clients, double Seconds, long Completed, long Errors,
    double P50Ms, double P99Ms, double MaxMs, string? FirstError, string LoadAverage)
{
    public double Throughput => Completed / Seconds;
    public override string ToString() =>
        $"{Name}: {Throughput:F0} req/s, p50 {P50Ms:F1} ms, p99 {P99Ms:F1} ms, max {MaxMs:F0} ms, {Errors} errors ({Completed} in {Seconds:F1} s)"
        + (FirstError is null ? "" : $"; first error: {FirstError}");
}

/// <summary>
/// N closed-loop clients on one HttpClient (a connection each) for a warm-up and then a measured window. A request
/// counts when it ends inside the window; a non-2xx answer or an exception is an error.
/// </summary>
public static class LoadGenerator
{
    public static async Task<LoadResult> RunAsync(string name, HttpClient client, int clients,
        Func<long, HttpRequestMessage> request, TimeSpan warmup, TimeSpan measure, CancellationToken ct = default)
    {
        long sequence = 0;
        var clock = Stopwatch.StartNew();
        var measureFrom = warmup;
        var stopAt = warmup + measure;
        var latencies = new List<double>[clients];
        var errors = new long[clients];
        string? firstError = null;

        async Task Loop(int slot)
        {
            var mine = latencies[slot] = new List<double>(64 * 1024);
            while (clock.Elapsed < stopAt && !ct.IsCancellationRequested)
            {
                using var message = request(Interlocked.Increment(ref sequence));
                var began = clock.Elapsed;
                bool ok;
                try
                {
                    using var answer = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead, ct);
                    ok = answer.IsSuccessStatusCode;
                    if (!ok) Interlocked.CompareExchange(ref firstError,
                        $"{(int)answer.StatusCode} {Shorten(await answer.Content.ReadAsStringAsync(ct))}", null);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
                {
                    ok = false;
                    Interlocked.CompareExchange(ref firstError, e.GetType().Name + ": " + e.Message, null);
                }
                var ended = clock.Elapsed;
                if (ended < measureFrom || ended > stopAt) continue;
                if (ok) mine.Add((ended - began).TotalMilliseconds);
                else errors[slot]++;
            }
        }

        using var progress = Progress.Every(TimeSpan.FromSeconds(5), () =>
            clock.Elapsed < measureFrom ? $"  {name}: warming up" : $"  {name}: measuring, {latencies.Sum(l => l?.Count ?? 0)} done");
        await Task.WhenAll(Enumerable.Range(0, clients).Select(i => Task.Run(() => Loop(i), ct)));
        // The machine is shared: the 1-minute load average at the end says how busy it was while measuring.
        var loadAverage = File.ReadAllText("/proc/loadavg").Split(' ')[0];

        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        return new LoadResult(name, clients, measure.TotalSeconds, all.Length, errors.Sum(),
            Percentile(all, 0.50), Percentile(all, 0.99), all.Length == 0 ? 0 : all[^1], firstError, loadAverage);
    }

    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}

/// <summary>Prints a line now and then while a long phase runs, so a slow phase is never silent.</summary>
public sealed class Progress : IDisposable
{
    private readonly Timer _timer;

    private Progress(TimeSpan every, Func<string> line) =>
        _timer = new Timer(_ => Console.WriteLine(line()), null, every, every);

    public static Progress Every(TimeSpan every, Func<string> line) => new(every, line);

    public void Dispose() => _timer.Dispose();
}
