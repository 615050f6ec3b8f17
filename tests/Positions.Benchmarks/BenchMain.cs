using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Positions.Benchmarks.Baseline;
using Positions.Benchmarks.Data;
using Positions.Benchmarks.Phases;
using Positions.Benchmarks.Report;
using Positions.Benchmarks.Service;

namespace Positions.Benchmarks;

/// <summary>
/// One command, every figure: generate the data, start the service as its own process, then P1 (import), P7 (cold
/// start), P2–P4 under load with P6 sampled meanwhile, P5 (rebuild), and write the results file.
/// </summary>
public static class BenchMain
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["bare-server", var connectionString, var url]) return await BareServer.ServeAsync(connectionString, url);

        if (args.Contains("--help")) { Console.WriteLine(BenchOptions.Usage); return 0; }
        BenchOptions options;
        try { options = BenchOptions.Parse(args); }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine(e.Message + "\n\n" + BenchOptions.Usage);
            return 2;
        }

        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var loadAtStart = Machine.LoadAverage();
        Step($"Positions benchmark: {options.Statements:N0} statements, {options.Actors} actors, {options.Topics} topics, {options.Runs} runs; load {loadAtStart}");

        await using var db = await BenchDatabase.OpenAsync(options);
        Step($"Database: {db.Description}, PostgreSQL {await db.ServerVersionAsync()} ({await db.SettingsAsync()})");
        var dataFolder = Path.Combine(Path.GetTempPath(), $"positions-bench-data-{Environment.ProcessId}");
        try
        {
            var dataset = DatasetGenerator.Generate(options);
            var chunks = ImportFiles.Write(dataset, options.Runs, options.ImportBatch, dataFolder);
            var datasetSummary = $"seed {options.Seed}: {dataset.Statements.Length:N0} statements ({dataset.EventCount:N0} events), " +
                                 $"{dataset.JointCount:N0} joint, {dataset.LateCount:N0} late, {dataset.Corrections.Count:N0} corrected, " +
                                 $"{dataset.Retractions.Count:N0} retracted; saidAt {Dataset.FirstDay:yyyy-MM-dd}..{Dataset.LastDay:yyyy-MM-dd}; " +
                                 $"NDJSON {chunks.Sum(c => c.Bytes) / 1048576.0:F1} MB";
            Step("Data: " + datasetSummary);

            var service = await ServiceUnderTest.StartAsync(db.ConnectionString, options);
            try
            {
                Step($"Service started on {service.Address} in {service.ColdStart.TotalSeconds:F2} s (empty database, not counted in P7)");
                await Registration.RegisterAsync(dataset, service);

                Step("P1 import");
                var imports = new List<ImportRun>();
                DateTimeOffset? knownAtPast = null;
                var importStarted = DateTimeOffset.UtcNow;
                foreach (var chunk in chunks)
                {
                    imports.Add(await ImportBench.RunAsync(chunk, service, db));
                    knownAtPast ??= DateTimeOffset.UtcNow;
                    await db.AnalyzeAsync();
                }

                Step("Corrections and retractions");
                var followUps = await FollowUps.SendAsync(dataset, service, options.WriteClients);
                Console.WriteLine($"  {followUps.Corrections + followUps.Retractions} follow-ups in {followUps.Seconds:F1} s, {followUps.Errors} errors {followUps.FirstError}");
                await db.AnalyzeAsync();

                if (!options.Skips("P7")) Step("P7 cold start (loaded database)");
                var coldStarts = new List<double>();
                for (var run = 1; run <= options.RunsOf("P7"); run++)
                {
                    await service.DisposeAsync();
                    service = await ServiceUnderTest.StartAsync(db.ConnectionString, options);
                    coldStarts.Add(service.ColdStart.TotalSeconds);
                    Console.WriteLine($"  P7 run {run}: {service.ColdStart.TotalSeconds:F2} s");
                }

                var hot = $"/actors/{Dataset.ActorId(Dataset.HotActor)}/positions";
                var knownSpan = (knownAtPast!.Value - importStarted).Ticks;
                string At(DateTimeOffset instant) => Uri.EscapeDataString(instant.ToString("O"));
                var read = new HotRead(hot, $"{hot}?asOf=2013-06-30&knownAt={At(knownAtPast.Value)}",
                    // Spread over the valid-time range and the first import's transaction-time range, never twice the same.
                    n => $"{hot}?asOf={Dataset.FirstDay.AddDays((int)(n * 7919 % (Dataset.LastDay.DayNumber - Dataset.FirstDay.DayNumber))):yyyy-MM-dd}" +
                         $"&knownAt={At(importStarted.AddTicks(n * 104_729_000 % knownSpan))}",
                    n => (n % 3) switch
                    {
                        0 => $"/shifts?limit={10 + n % 20}",
                        1 => $"/shifts?actor={Dataset.ActorId((int)(n / 3 % options.Actors))}",
                        _ => $"/shifts?from={2001 + n / 3 % 10}-01-01&to={2001 + n / 3 % 10}-12-31&limit=50",
                    });
                var readNotes = await PrepareReadBaselineAsync(read, service, db);
                Console.WriteLine("  " + readNotes);

                if (!options.Skips("P2")) Step("P2, P3, P4 under load (P6 sampled meanwhile)");
                await using var bare = await BareServer.StartAsync(db.ConnectionString);
                var http = new List<HttpRun>();
                (long, long, int) rss;
                using (var sampler = new RssSampler(service))
                {
                    for (var run = 1; run <= options.RunsOf("P2"); run++)
                        http.Add(await HttpBench.RunAsync(run, dataset, options, read, service, bare));
                    rss = sampler.Summary();
                }
                if (!options.Skips("P6")) Console.WriteLine($"  P6 RSS peak {rss.Item1 / 1048576.0:F0} MB, median {rss.Item2 / 1048576.0:F0} MB");
                IReadOnlyList<ScaleOutRun>? scaleOut = null;
                if (options.ScaleOut)
                {
                    Step("Scale-out: writes through 1, 2 and 3 instances");
                    scaleOut = await ScaleOutBench.RunAsync(dataset, options, service, db.ConnectionString);
                }
                await db.AnalyzeAsync();

                if (!options.Skips("P5")) Step("P5 rebuild");
                var before = await GetStringAsync(service, read.PastPath);
                var rebuilds = new List<RebuildRun>();
                for (var run = 1; run <= options.RunsOf("P5"); run++)
                    rebuilds.Add(await RebuildBench.RunAsync(run, service, db, options, read.PastPath, before));
                var sameAnswer = before == await GetStringAsync(service, read.PastPath);

                var results = new BenchResults(options, "dotnet run -c Release --project tests/Positions.Benchmarks -- " + string.Join(' ', args.Select(a => a.Contains(' ') ? $"\"{a}\"" : a)),
                    started, clock.Elapsed, loadAtStart, Machine.LoadAverage(), db.Description, $"{await db.ServerVersionAsync()} ({await db.SettingsAsync()})", datasetSummary,
                    imports, followUps, coldStarts, http, rss, rebuilds, readNotes, sameAnswer, scaleOut);
                var path = WriteResults(results);
                Step($"Results written to {path}");
                foreach (var f in ResultsWriter.Figures(results))
                    Console.WriteLine($"  {f.Id} {f.What}: {f.Value} (baseline {f.Baseline}, {f.Ratio}) target {f.Target}: {(f.Pass ? "pass" : "FAIL")}");
                return 0;
            }
            finally
            {
                await service.DisposeAsync();
            }
        }
        finally
        {
            if (Directory.Exists(dataFolder)) Directory.Delete(dataFolder, recursive: true);
        }
    }

    /// <summary>P3's baseline serves the service's own answer for the hot actor, so both send the same bytes.</summary>
    private static async Task<string> PrepareReadBaselineAsync(HotRead read, ServiceUnderTest service, BenchDatabase db)
    {
        var now = await GetStringAsync(service, read.NowPath);
        var past = await GetStringAsync(service, read.PastPath);
        await using var insert = db.DataSource.CreateCommand(
            "insert into bench.bare_positions (id, body) values ('hot', $1::jsonb) on conflict (id) do update set body = excluded.body");
        insert.Parameters.AddWithValue(now);
        await insert.ExecuteNonQueryAsync();
        await db.AnalyzeAsync();
        int Count(string json) => JsonDocument.Parse(json).RootElement.GetProperty("positions").GetArrayLength();
        return $"P3 reads `{read.NowPath}`: {Count(now)} positions, {Encoding.UTF8.GetByteCount(now):N0} bytes. " +
               $"P4 reads `{read.PastPath}`: {Count(past)} positions, {Encoding.UTF8.GetByteCount(past):N0} bytes.";
    }

    private static async Task<string> GetStringAsync(ServiceUnderTest service, string path)
    {
        using var client = service.Client(1, TimeSpan.FromSeconds(60));
        using var answer = await client.GetAsync(path);
        var body = await answer.Content.ReadAsStringAsync();
        if (!answer.IsSuccessStatusCode) throw new InvalidOperationException($"GET {path} answered {(int)answer.StatusCode}: {body}");
        return body;
    }

    private static string WriteResults(BenchResults results)
    {
        var folder = results.Options.ResultsDirectory is { Length: > 0 } given
            ? Path.GetFullPath(given)
            : Path.Combine(Repository.Root, "tests", "Positions.Benchmarks", "results");
        Directory.CreateDirectory(folder);
        var size = results.Options.Statements switch
        {
            >= 1_000_000 when results.Options.Statements % 1_000_000 == 0 => $"{results.Options.Statements / 1_000_000}M",
            >= 1_000 when results.Options.Statements % 1_000 == 0 => $"{results.Options.Statements / 1_000}k",
            var n => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var stem = $"{results.StartedAt:yyyy-MM-dd}-{size}";
        var path = Path.Combine(folder, stem + ".md");
        for (var n = 2; File.Exists(path); n++) path = Path.Combine(folder, $"{stem}-{n}.md");
        File.WriteAllText(path, ResultsWriter.Markdown(results));
        return path;
    }

    private static readonly Stopwatch Since = Stopwatch.StartNew();

    private static void Step(string line) => Console.WriteLine($"[{Since.Elapsed:hh\\:mm\\:ss}] {line}");
}
