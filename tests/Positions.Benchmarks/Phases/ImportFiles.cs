using System.Text;
using Positions.Benchmarks.Data;

namespace Positions.Benchmarks.Phases;

/// <summary>One run's share of the data set as NDJSON files, each small enough for one POST /imports body.</summary>
public sealed record ImportChunk(int Run, IReadOnlyList<string> Files, int Lines, long Events, long Bytes, string LastStatementId);

public static class ImportFiles
{
    /// <summary>
    /// Splits the statements, in recording order, into one chunk per run: every run imports fresh statements into a
    /// database that grows run by run, and together the runs import the whole data set.
    /// </summary>
    public static IReadOnlyList<ImportChunk> Write(Dataset dataset, int runs, int linesPerFile, string folder)
    {
        Directory.CreateDirectory(folder);
        var chunks = new List<ImportChunk>();
        var total = dataset.Statements.Length;
        for (var run = 0; run < runs; run++)
        {
            int from = (int)((long)total * run / runs), to = (int)((long)total * (run + 1) / runs);
            var files = new List<string>();
            long bytes = 0;
            for (var start = from; start < to; start += linesPerFile)
            {
                var path = Path.Combine(folder, $"run{run + 1}-{start:D7}.ndjson");
                using (var writer = new StreamWriter(path, false, new UTF8Encoding(false)) { NewLine = "\n" })
                    for (var i = start; i < Math.Min(to, start + linesPerFile); i++)
                        writer.WriteLine(StatementJson.Statement(dataset.StatementId(i), dataset.Statements[i]));
                files.Add(path);
                bytes += new FileInfo(path).Length;
            }
            var events = dataset.Statements[from..to].Sum(s => s.Partner >= 0 ? 2L : 1L);
            chunks.Add(new ImportChunk(run + 1, files, to - from, events, bytes, dataset.StatementId(to - 1)));
        }
        return chunks;
    }
}
