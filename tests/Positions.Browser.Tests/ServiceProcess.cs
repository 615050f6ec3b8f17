using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Positions.Browser.Tests;

/// <summary>
/// The service as it runs in production: its own process on a free loopback port, on the given database, serving
/// wwwroot from the source tree. Its output is kept for the failure message if it does not come up.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<ServiceProcess> StartAsync(string connectionString, IReadOnlyDictionary<string, string> settings)
    {
        var port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Positions.Api.dll"), "--urls", baseAddress.ToString().TrimEnd('/'),
                "--contentRoot", Path.Combine(RepositoryRoot(), "src", "Positions.Api") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["ConnectionStrings__Positions"] = connectionString;
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__")] = value;

        var service = new ServiceProcess(Process.Start(start)!, baseAddress);
        service._process.OutputDataReceived += (_, e) => service.Log(e.Data);
        service._process.ErrorDataReceived += (_, e) => service.Log(e.Data);
        service._process.BeginOutputReadLine();
        service._process.BeginErrorReadLine();
        await service.WaitUntilAnsweringAsync();
        return service;
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Positions.sln"))) return dir.FullName;
        throw new InvalidOperationException("Positions.sln not found above " + AppContext.BaseDirectory);
    }

    private void Log(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private async Task WaitUntilAnsweringAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                // Seeds load at start-up: wait until they are readable, not just until the socket answers.
                var shifts = await client.GetAsync("shifts");
                if (shifts.StatusCode == HttpStatusCode.OK && (await shifts.Content.ReadAsStringAsync()).Contains("full-flop")) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        string output;
        lock (_output) output = _output.ToString();
        throw new InvalidOperationException($"The service did not come up on {BaseAddress}:\n{output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
