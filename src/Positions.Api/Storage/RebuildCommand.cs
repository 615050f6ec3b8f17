using Positions.Api.Shared;

namespace Positions.Api.Storage;

/// <summary>
/// <c>dotnet run -- rebuild</c>: both read models rebuilt from every event while the service keeps answering
/// (<see cref="ReadModelRebuild"/>), with progress on stderr.
/// </summary>
public static class RebuildCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, CancellationToken ct)
    {
        var console = new ConsoleProgress("events");
        var report = await services.GetRequiredService<ReadModelRebuild>().RunAsync(
            new Progress<RebuildProgress>(p => console.Report(p.Total == 0 ? 1 : (double)p.Events / p.Total, p.Events)), ct);
        console.Finish(report.Events);
        Console.WriteLine($"Rebuilt the read models from {report.Events:N0} events in {report.Took.TotalSeconds:F1} s " +
                          $"({string.Join(", ", report.Phases.Select(p => $"{p.Phase} {p.Took.TotalSeconds:F1} s"))}).");
        return 0;
    }
}
