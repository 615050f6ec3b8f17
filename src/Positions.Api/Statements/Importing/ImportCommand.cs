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

    /// <summary>The import's progress by bytes of the file, with its tally so far.</summary>
    private sealed class ProgressLine(long totalBytes) : IProgress<ImportProgress>
    {
        private readonly ConsoleProgress _console = new("lines");
        private ImportProgress? _last;

        public void Report(ImportProgress progress)
        {
            _last = progress;
            _console.Report(totalBytes > 0 && progress.BytesRead >= 0 ? (double)progress.BytesRead / totalBytes : 0, progress.Lines, Tally(progress));
        }

        public void Finish()
        {
            if (_last is not null) _console.Finish(_last.Lines, Tally(_last));
        }

        private static string Tally(ImportProgress p) => $"{p.Recorded:N0} recorded, {p.Unchanged:N0} unchanged, {p.Rejected:N0} rejected";
    }
}
