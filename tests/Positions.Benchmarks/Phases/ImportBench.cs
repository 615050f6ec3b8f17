using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Npgsql;
using NpgsqlTypes;
using Positions.Benchmarks.Baseline;
using Positions.Benchmarks.Load;
using Positions.Benchmarks.Service;

namespace Positions.Benchmarks.Phases;

public sealed record ImportRun(int Run, int Lines, long Bytes, double ServiceSeconds, int Recorded, int Unchanged, int Rejected,
    double CopySeconds)
{
    public double ServiceRate => Lines / ServiceSeconds;
    public double CopyRate => Lines / CopySeconds;
}

/// <summary>
/// P1: POST /imports of a chunk, end to end until its last statement reads back, against a binary COPY of the same
/// lines into a jsonb table.
/// </summary>
public static class ImportBench
{
    private sealed record ImportReport(int Recorded, int Unchanged, IReadOnlyList<object> Rejected);

    public static async Task<ImportRun> RunAsync(ImportChunk chunk, ServiceUnderTest service, BenchDatabase db)
    {
        var (serviceSeconds, recorded, unchanged, rejected) = await ImportThroughServiceAsync(chunk, service, db);
        Console.WriteLine($"  P1 run {chunk.Run} service: {chunk.Lines / serviceSeconds:F0} statements/s " +
                          $"({recorded} recorded, {unchanged} unchanged, {rejected} rejected in {serviceSeconds:F1} s)");
        var copySeconds = await CopyAsync(chunk, db);
        Console.WriteLine($"  P1 run {chunk.Run} COPY baseline: {chunk.Lines / copySeconds:F0} lines/s ({copySeconds:F2} s)");
        return new ImportRun(chunk.Run, chunk.Lines, chunk.Bytes, serviceSeconds, recorded, unchanged, rejected, copySeconds);
    }

    private static async Task<(double, int, int, int)> ImportThroughServiceAsync(ImportChunk chunk, ServiceUnderTest service,
        BenchDatabase db)
    {
        // The import may be slow (a transaction a line); no timeout cuts it short, progress says how far it is.
        using var client = service.Client(1, Timeout.InfiniteTimeSpan);
        int recorded = 0, unchanged = 0, rejected = 0;
        var eventsBefore = await EventSequenceAsync(db);
        var clock = Stopwatch.StartNew();
        using (Progress.Every(TimeSpan.FromSeconds(5), () => Eta(chunk, EventSequenceAsync(db).Result - eventsBefore, clock.Elapsed)))
        {
            foreach (var file in chunk.Files)
            {
                await using var stream = File.OpenRead(file);
                using var content = new StreamContent(stream, 1 << 16);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
                using var answer = await client.PostAsync("/imports", content);
                if (answer.StatusCode != HttpStatusCode.OK)
                    throw new InvalidOperationException($"POST /imports answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()} " +
                        "(a 503 after a while is the service's request timeout: raise --request-timeout or lower --import-batch)");
                var report = (await answer.Content.ReadFromJsonAsync<ImportReport>())!;
                recorded += report.Recorded;
                unchanged += report.Unchanged;
                rejected += report.Rejected.Count;
            }
            // "Until readable": the last statement of the chunk answers from the read side.
            while ((await client.GetAsync($"/statements/{chunk.LastStatementId}")).StatusCode != HttpStatusCode.OK)
                await Task.Delay(5);
        }
        return (clock.Elapsed.TotalSeconds, recorded, unchanged, rejected);
    }

    // Progress from the event store's own sequence: socket buffers swallow a small body long before it is recorded.
    private static string Eta(ImportChunk chunk, long events, TimeSpan elapsed)
    {
        var share = Math.Min(1, (double)events / chunk.Events);
        var lines = share * chunk.Lines;
        var rate = lines / elapsed.TotalSeconds;
        var eta = rate > 0 ? TimeSpan.FromSeconds((chunk.Lines - lines) / rate) : TimeSpan.Zero;
        return $"  P1 run {chunk.Run}: ~{share:P0} recorded (~{lines:F0} of {chunk.Lines} lines), ~{rate:F0} lines/s, ETA {eta:hh\\:mm\\:ss}";
    }

    private static async Task<long> EventSequenceAsync(BenchDatabase db) =>
        await db.ScalarAsync<long>("select case when is_called then last_value else 0 end from mt_events_sequence");

    private static async Task<double> CopyAsync(ImportChunk chunk, BenchDatabase db)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using (var importer = await connection.BeginBinaryImportAsync("copy bench.import_copy (line) from stdin (format binary)"))
        {
            foreach (var file in chunk.Files)
                foreach (var line in File.ReadLines(file))
                {
                    await importer.StartRowAsync();
                    await importer.WriteAsync(line, NpgsqlDbType.Jsonb);
                }
            await importer.CompleteAsync();
        }
        return clock.Elapsed.TotalSeconds;
    }
}
