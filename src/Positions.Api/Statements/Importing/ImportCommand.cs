using System.Diagnostics;
using System.Text.Json;
using Positions.Api.Shared;

namespace Positions.Api.Statements.Importing;

/// <summary>
/// <c>dotnet run -- import FILE [--recorded-by NAME]</c>: the same import as <c>POST /imports</c>, straight into the
/// configured database, with progress (lines, rate, ETA) on stderr and the same report as JSON on stdout.
/// Exit code 0 when every line was recorded or unchanged, 1 when some were rejected, 2 for a missing file.
/// </summary>
public static class ImportCommand
{
    public const string DefaultRecordedBy = "import";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, CancellationToken ct)
    {
        var path = args[1];
        var recordedBy = args.SkipWhile(a => a != "--recorded-by").Skip(1).FirstOrDefault() ?? DefaultRecordedBy;
        if (!File.Exists(path))
        {
            await Console.Error.WriteLineAsync($"No file '{path}'. Usage: import FILE.ndjson [--recorded-by NAME]");
            return 2;
        }

        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
        var bar = new ProgressLine(file.Length);
        var report = await services.GetRequiredService<StatementImporter>().ImportAsync(file, recordedBy, bar, ct);
        bar.Finish();
        Console.WriteLine(JsonSerializer.Serialize(report, PositionsJson.Options));
        return report.Rejected.Count == 0 ? 0 : 1;
    }

    /// <summary>One line redrawn in place on a terminal; when stderr is a file, a line every few seconds.</summary>
    private sealed class ProgressLine(long totalBytes) : IProgress<ImportProgress>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly bool _redraw = !Console.IsErrorRedirected;
        private TimeSpan? _lastPrinted;
        private ImportProgress? _last;

        public void Report(ImportProgress progress)
        {
            _last = progress;
            if (!_redraw && _clock.Elapsed - _lastPrinted < TimeSpan.FromSeconds(5)) return; // null compares false: the first prints
            _lastPrinted = _clock.Elapsed;
            Print(progress, final: false);
        }

        public void Finish()
        {
            if (_last is not null) Print(_last with { BytesRead = totalBytes }, final: true);
        }

        private void Print(ImportProgress p, bool final)
        {
            var seconds = Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
            var share = totalBytes > 0 && p.BytesRead >= 0 ? Math.Min(1.0, (double)p.BytesRead / totalBytes) : 0;
            var eta = share > 0 && !final ? TimeSpan.FromSeconds(seconds / share - seconds) : TimeSpan.Zero;
            var text = $"{share * 100,3:0}% {Bar(share)} {p.Lines:N0} lines, {p.Lines / seconds:N0} lines/s, " +
                       $"{p.Recorded:N0} recorded, {p.Unchanged:N0} unchanged, {p.Rejected:N0} rejected, " +
                       (final ? $"done in {_clock.Elapsed:m\\:ss}" : $"ETA {eta:m\\:ss}");
            Console.Error.Write(_redraw ? $"\r{text}   " : text + Environment.NewLine);
            if (_redraw && final) Console.Error.WriteLine();
        }

        private static string Bar(double share)
        {
            const int width = 24;
            var filled = (int)Math.Round(share * width);
            return "[" + new string('#', filled) + new string('.', width - filled) + "]";
        }
    }
}
