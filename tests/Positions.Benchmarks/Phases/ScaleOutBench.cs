using System.Text;
using Positions.Benchmarks.Data;
using Positions.Benchmarks.Load;
using Positions.Benchmarks.Service;

namespace Positions.Benchmarks.Phases;

/// <summary>P2's writes with the same clients spread round-robin over 1, 2 and 3 instances on one primary.</summary>
public sealed record ScaleOutRun(int Instances, LoadResult Writes);

/// <summary>
/// How write throughput moves with instances on one PostgreSQL (<c>--scale-out</c>, for deploy/SCALING.md): each
/// instance has its own group-commit writer, so more instances mean more batches in flight on the one primary.
/// </summary>
public static class ScaleOutBench
{
    public static async Task<IReadOnlyList<ScaleOutRun>> RunAsync(Dataset dataset, BenchOptions options, ServiceUnderTest first,
        string connectionString)
    {
        var instances = new List<ServiceUnderTest> { first };
        var runs = new List<ScaleOutRun>();
        try
        {
            for (var count = 1; count <= 3; count++)
            {
                if (count > 1) instances.Add(await ServiceUnderTest.StartAsync(connectionString, options));
                var live = new LiveStatements(dataset, $"bench-{dataset.Seed}-scale{count}");
                var addresses = instances.Select(i => i.Address).ToArray();
                using var client = first.Client(options.WriteClients, TimeSpan.FromSeconds(60));
                var result = await LoadGenerator.RunAsync($"scale-out {count} instance(s) POST /statements", client, options.WriteClients,
                    n => new HttpRequestMessage(HttpMethod.Post, new Uri(addresses[n % addresses.Length], "/statements"))
                    {
                        Content = new StringContent(live.Body(n), Encoding.UTF8, "application/json"),
                    },
                    TimeSpan.FromSeconds(options.WarmupSeconds), TimeSpan.FromSeconds(options.MeasureSeconds));
                Console.WriteLine($"  {result}");
                runs.Add(new ScaleOutRun(count, result));
            }
        }
        finally
        {
            foreach (var extra in instances.Skip(1)) await extra.DisposeAsync();
        }
        return runs;
    }
}
