using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Positions.Benchmarks.Report;

/// <summary>What the figures were measured on; the machine is shared, so its load is part of every result.</summary>
public static class Machine
{
    public static string Cpu() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "unknown CPU";

    public static string Memory() =>
        File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal"))?.Split(':', 2)[1].Trim() ?? "?";

    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Trim();

    public static string Os() => RuntimeInformation.OSDescription;

    public static string Commit() => Run("git", "-C", Service.Repository.Root, "log", "-1", "--format=%h %s") ?? "unknown";

    public static string? Run(string file, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }
}
