using System.Text;
using Positions.Benchmarks.Baseline;
using Positions.Benchmarks.Data;
using Positions.Benchmarks.Load;
using Positions.Benchmarks.Service;

namespace Positions.Benchmarks.Phases;

/// <summary>One run of P2, P3, P4 and P8, each service figure right beside its baseline (A/B).</summary>
public sealed record HttpRun(int Run, LoadResult WriteService, LoadResult WriteBare, LoadResult ReadService, LoadResult ReadBare,
    LoadResult ReadPast, LoadResult? Shifts);

/// <summary>
/// The reads: P3 the hot actor's positions now; P4 the same at an asOf and a knownAt in the past, different on every
/// request (<c>VariedPast(n)</c>; a repeated URL would measure a cache), and one fixed pair (<c>PastPath</c>) for
/// the rebuild's before/after check; P8 <c>GET /shifts</c>, in turn the newest page, one actor's and a year far back.
/// </summary>
public sealed record HotRead(string NowPath, string PastPath, Func<long, string> VariedPast, Func<long, string> Shifts);

public static class HttpBench
{
    public static async Task<HttpRun> RunAsync(int run, Dataset dataset, BenchOptions options, HotRead read,
        ServiceUnderTest service, BareServer bare)
    {
        var warmup = TimeSpan.FromSeconds(options.WarmupSeconds);
        var measure = TimeSpan.FromSeconds(options.MeasureSeconds);
        var live = new LiveStatements(dataset, $"bench-{dataset.Seed}-r{run}-w");

        HttpRequestMessage Write(Uri baseAddress, string path, long n) =>
            new(HttpMethod.Post, new Uri(baseAddress, path)) { Content = new StringContent(live.Body(n), Encoding.UTF8, "application/json") };

        using var serviceWriters = service.Client(options.WriteClients, TimeSpan.FromSeconds(60));
        using var bareWriters = Bare(bare, options.WriteClients);
        var writeService = await Report(LoadGenerator.RunAsync($"P2 run {run} POST /statements", serviceWriters, options.WriteClients,
            n => Write(service.Address, "/statements", n), warmup, measure));
        var writeBare = await Report(LoadGenerator.RunAsync($"P2 run {run} bare INSERT", bareWriters, options.WriteClients,
            n => Write(bare.Address, "/bare/statements", n), warmup, measure));

        using var serviceReaders = service.Client(options.ReadClients, TimeSpan.FromSeconds(60));
        using var bareReaders = Bare(bare, options.ReadClients);
        var readService = await Report(LoadGenerator.RunAsync($"P3 run {run} GET positions", serviceReaders, options.ReadClients,
            _ => new HttpRequestMessage(HttpMethod.Get, read.NowPath), warmup, measure));
        var readBare = await Report(LoadGenerator.RunAsync($"P3 run {run} bare SELECT", bareReaders, options.ReadClients,
            _ => new HttpRequestMessage(HttpMethod.Get, "/bare/positions/hot"), warmup, measure));
        var readPast = await Report(LoadGenerator.RunAsync($"P4 run {run} GET positions asOf+knownAt", serviceReaders, options.ReadClients,
            n => new HttpRequestMessage(HttpMethod.Get, read.VariedPast(n)), warmup, measure));
        var shifts = options.Skips("P8") ? null : await Report(LoadGenerator.RunAsync(
            $"P8 run {run} GET /shifts", serviceReaders, options.ReadClients, n => new HttpRequestMessage(HttpMethod.Get, read.Shifts(n)), warmup, measure));
        return new HttpRun(run, writeService, writeBare, readService, readBare, readPast, shifts);
    }

    private static HttpClient Bare(BareServer bare, int connections) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = bare.Address,
            Timeout = TimeSpan.FromSeconds(60),
        };

    private static async Task<LoadResult> Report(Task<LoadResult> running)
    {
        var result = await running;
        Console.WriteLine("  " + result);
        return result;
    }
}

/// <summary>P6: the service's resident memory, sampled while it is under load.</summary>
public sealed class RssSampler : IDisposable
{
    private readonly List<long> _samples = [];
    private readonly Timer _timer;

    public RssSampler(ServiceUnderTest service) =>
        _timer = new Timer(_ =>
        {
            var bytes = service.ResidentBytes();
            lock (_samples) if (bytes > 0) _samples.Add(bytes);
        }, null, TimeSpan.Zero, TimeSpan.FromMilliseconds(250));

    public (long Peak, long Median, int Samples) Summary()
    {
        lock (_samples)
        {
            if (_samples.Count == 0) return (0, 0, 0);
            var sorted = _samples.Order().ToArray();
            return (sorted[^1], sorted[sorted.Length / 2], sorted.Length);
        }
    }

    public void Dispose() => _timer.Dispose();
}
