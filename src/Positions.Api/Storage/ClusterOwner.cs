using System.Diagnostics;
using System.Text.Json;

namespace Positions.Api.Storage;

/// <summary>
/// Which process runs the embedded cluster of a data directory, written beside PostgreSQL's own files. A one-shot
/// command (<c>seed</c>, <c>import</c>, <c>rebuild</c>) that finds a live owner uses its server instead of stopping
/// it; a server whose owner has died is left over and may be stopped. The process start time guards against a new
/// process that happens to get the dead owner's pid.
/// </summary>
public sealed record ClusterOwner(int ProcessId, DateTimeOffset ProcessStartedAt, int Port)
{
    public const string FileName = "positions-owner.json";

    public static ClusterOwner ForThisProcess(int port)
    {
        using var self = Process.GetCurrentProcess();
        return new ClusterOwner(self.Id, StartTimeOf(self), port);
    }

    /// <summary>
    /// How this process names its connections (<c>application_name</c>), so that an owner about to stop can see which
    /// other live processes still use its server, and hand it over instead.
    /// </summary>
    public string ApplicationName => $"positions {ProcessId} {ProcessStartedAt.UtcTicks}";

    public static ClusterOwner? FromApplicationName(string name, int port)
    {
        var parts = name.Split(' ');
        return parts is ["positions", var pid, var ticks] && int.TryParse(pid, out var id) && long.TryParse(ticks, out var start)
            ? new ClusterOwner(id, new DateTimeOffset(start, TimeSpan.Zero), port)
            : null;
    }

    public bool IsThisProcess()
    {
        var self = ForThisProcess(Port);
        return self.ProcessId == ProcessId && (self.ProcessStartedAt - ProcessStartedAt).Duration() < TimeSpan.FromSeconds(1);
    }

    public static ClusterOwner? Read(string dataDirectory)
    {
        try
        {
            return JsonSerializer.Deserialize<ClusterOwner>(File.ReadAllText(Path.Combine(dataDirectory, FileName)));
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Write(string dataDirectory) =>
        File.WriteAllText(Path.Combine(dataDirectory, FileName), JsonSerializer.Serialize(this));

    public static void Remove(string dataDirectory)
    {
        // A test may have removed the whole folder already.
        if (Directory.Exists(dataDirectory)) File.Delete(Path.Combine(dataDirectory, FileName));
    }

    /// <summary>True while the process that wrote this is still running (same pid, same start).</summary>
    public bool IsAlive()
    {
        try
        {
            using var process = Process.GetProcessById(ProcessId);
            return !process.HasExited && (StartTimeOf(process) - ProcessStartedAt).Duration() < TimeSpan.FromSeconds(1);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static DateTimeOffset StartTimeOf(Process process) => new(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
}
