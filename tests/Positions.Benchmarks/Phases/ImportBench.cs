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
        var (serviceSeconds, recorded, unchanged, rejected) = await ImportThroughServiceAsync(chunk, service);
        Console.WriteLine($"  P1 run {chunk.Run} service: {chunk.Lines / serviceSeconds:F0} statements/s " +
                          $"({recorded} recorded, {unchanged} unchanged, {rejected} rejected in {serviceSeconds:F1} s)");
        var copySeconds = await CopyAsync(chunk, db);
        Console.WriteLine($"  P1 run {chunk.Run} COPY baseline: {chunk.Lines / copySeconds:F0} lines/s ({copySeconds:F2} s)");
        return new ImportRun(chunk.Run, chunk.Lines, chunk.Bytes, serviceSeconds, recorded, unchanged, rejected, copySeconds);
    }

    private static async Task<(double, int, int, int)> ImportThroughServiceAsync(ImportChunk chunk, ServiceUnderTest service)
    {
        // The current import may be slow (a transaction a line); no timeout cuts it short, progress says how far it is.
        using var client = service.Client(1, Timeout.InfiniteTimeSpan);
        long sent = 0;
        int recorded = 0, unchanged = 0, rejected = 0;
        var clock = Stopwatch.StartNew();
        using (Progress.Every(TimeSpan.FromSeconds(5), () => Eta(chunk, Interlocked.Read(ref sent), clock.Elapsed)))
        {
            foreach (var file in chunk.Files)
            {
                await using var stream = new CountingStream(File.OpenRead(file), n => Interlocked.Add(ref sent, n));
                using var content = new StreamContent(stream, 1 << 16);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
                using var answer = await client.PostAsync("/imports", content);
                if (answer.StatusCode != HttpStatusCode.OK)
                    throw new InvalidOperationException($"POST /imports answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
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

    private static string Eta(ImportChunk chunk, long sent, TimeSpan elapsed)
    {
        var share = (double)sent / chunk.Bytes;
        var lines = share * chunk.Lines;
        var rate = lines / elapsed.TotalSeconds;
        var eta = rate > 0 ? TimeSpan.FromSeconds((chunk.Lines - lines) / rate) : TimeSpan.Zero;
        return $"  P1 run {chunk.Run}: ~{share:P0} sent ({lines:F0} of {chunk.Lines} lines), ~{rate:F0} lines/s, ETA {eta:hh\\:mm\\:ss}";
    }

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

/// <summary>A read-only stream that reports how many bytes were read from it, for import progress.</summary>
public sealed class CountingStream(Stream inner, Action<long> onRead) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => inner.Length;
    public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = inner.Read(buffer, offset, count);
        onRead(n);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        var n = await inner.ReadAsync(buffer, ct);
        onRead(n);
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
