using System.Diagnostics;

namespace Positions.Api.Tests.Integration;

public sealed record CliResult(int ExitCode, string Output, string Errors);

/// <summary>Runs the service's command line (<c>dotnet Positions.Api.dll ...</c>) as an operator would, on a given database.</summary>
public static class Cli
{
    public static Task<CliResult> RunAsync(string connectionString, params string[] args) =>
        RunAsync(connectionString, args, new Dictionary<string, string>());

    public static async Task<CliResult> RunAsync(string connectionString, string[] args, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(Repository.ServiceOutput, "Positions.Api.dll"), .. args])
        {
            WorkingDirectory = Repository.ServiceOutput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ConnectionStrings__Positions"] = connectionString;
        start.Environment["Positions__Seed"] = "false";
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        // Both streams at once: a child blocked on a full stderr pipe would never exit.
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliResult(process.ExitCode, await output, await errors);
    }
}
