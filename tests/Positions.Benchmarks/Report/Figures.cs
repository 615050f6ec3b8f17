namespace Positions.Benchmarks.Report;

/// <summary>One line of the results table: the median figure, its baseline, the target and whether it was met.</summary>
public sealed record Figure(string Id, string What, string Value, string Baseline, string Ratio, string Target, bool Pass,
    string PerRun = "");

public static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
