using System.Diagnostics;
using System.Text;
using Positions.Benchmarks.Data;
using Positions.Benchmarks.Load;
using Positions.Benchmarks.Service;

namespace Positions.Benchmarks.Phases;

public sealed record FollowUpReport(int Corrections, int Retractions, int Errors, double Seconds, string? FirstError);

/// <summary>The corrections and retractions of the data set, sent through their endpoints after the import.</summary>
public static class FollowUps
{
    public static async Task<FollowUpReport> SendAsync(Dataset dataset, ServiceUnderTest service, int clients)
    {
        var work = dataset.Corrections
            .Select(c => ($"/statements/{dataset.StatementId(c.Index)}/corrections", StatementJson.Correction(c)))
            .Concat(dataset.Retractions.Select(i => ($"/statements/{dataset.StatementId(i)}/retraction", StatementJson.Retraction())))
            .ToArray();
        using var client = service.Client(clients, TimeSpan.FromMinutes(2));
        int next = -1, errors = 0, done = 0;
        string? firstError = null;
        var clock = Stopwatch.StartNew();

        async Task Loop()
        {
            while (Interlocked.Increment(ref next) is var i && i < work.Length)
            {
                var (path, body) = work[i];
                using var answer = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
                if (!answer.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, $"{path}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}", null);
                }
                Interlocked.Increment(ref done);
            }
        }

        using (Progress.Every(TimeSpan.FromSeconds(5), () => $"  follow-ups: {Volatile.Read(ref done)} of {work.Length}"))
            await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(Loop)));
        return new FollowUpReport(dataset.Corrections.Count, dataset.Retractions.Count, errors, clock.Elapsed.TotalSeconds, firstError);
    }
}
