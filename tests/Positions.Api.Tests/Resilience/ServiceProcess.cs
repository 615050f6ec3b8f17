using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Positions.Api.Tests.Integration;

namespace Positions.Api.Tests.Resilience;

/// <summary>
/// The service as its own OS process group (the build output of src/Positions.Api), so a test can kill it with
/// SIGKILL, process group and all, the way a crash or an OOM kill would.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServiceProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    /// <summary>Every line the service wrote so far, stdout and stderr together.</summary>
    public IReadOnlyList<string> Output => [.. _output];

    public static string AppOutput => Repository.ServiceOutput;

    /// <param name="connectionString">The database; empty for the service's own embedded cluster.</param>
    /// <param name="port">The port to listen on; 0 for any free one.</param>
    /// <param name="environment">More settings, overriding the defaults below.</param>
    /// <param name="launcher">A command the service runs under, e.g. <c>faketime -f -30s</c> for a clock 30 s behind.</param>
    public static async Task<ServiceProcess> StartAsync(string connectionString, int port = 0,
        IReadOnlyDictionary<string, string>? environment = null, string[]? launcher = null)
    {
        // A free port found here may be taken by another process (a parallel test, a browser) before the service binds
        // it: then the service exits at once, and starting again on another free port (or later, on a fixed one) is safe.
        for (var attempt = 1; ; attempt++)
        {
            var service = Launch(connectionString, port == 0 ? FreePort() : port, environment, launcher);
            try
            {
                await service.WaitUntilReadyAsync();
                return service;
            }
            catch (PortTakenException) when (attempt < 5)
            {
                await service.DisposeAsync();
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
        }
    }

    private static ServiceProcess Launch(string connectionString, int port,
        IReadOnlyDictionary<string, string>? environment, string[]? launcher)
    {
        var address = new Uri($"http://127.0.0.1:{port}");
        // setsid: a new process group led by the service, so one signal reaches every process it started.
        var start = new ProcessStartInfo("setsid", [.. launcher ?? [], "dotnet", Path.Combine(AppOutput, "Positions.Api.dll"), "--urls", address.ToString()])
        {
            WorkingDirectory = AppOutput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ConnectionStrings__Positions"] = connectionString;
        start.Environment[$"Positions__ApiKeys__{PositionsApp.WriterName}"] = PositionsApp.WriterKey;
        start.Environment["Positions__Seed"] = "false";
        start.Environment["Positions__Limits__RateLimiting"] = "false";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        var process = Process.Start(start)!;
        var service = new ServiceProcess(process, address);
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) service._output.Enqueue(line.Data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) service._output.Enqueue(line.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    private sealed class PortTakenException(string message) : Exception(message);

    public HttpClient Client() => ClientFor(Address);

    /// <summary>A writer's client for any address that serves the API (an instance, or a load balancer in front of some).</summary>
    public static HttpClient ClientFor(Uri address) => new()
    {
        BaseAddress = address,
        Timeout = TimeSpan.FromSeconds(60),
        DefaultRequestHeaders = { Authorization = new("Bearer", PositionsApp.WriterKey) },
    };

    public int ProcessId => _process.Id;

    /// <summary>SIGTERM to the service alone: it shuts down as an operator's Ctrl+C or an orchestrator would stop it.</summary>
    public async Task StopAsync()
    {
        using var term = Process.Start("kill", ["-TERM", $"{_process.Id}"])!;
        await term.WaitForExitAsync();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>SIGKILL to the whole process group: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        using var kill = Process.Start("kill", ["-KILL", "--", $"-{_process.Id}"])!;
        await kill.WaitForExitAsync();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_process.HasExited) await KillAsync();
        _process.Dispose();
    }

    private bool _disposed;

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitUntilReadyAsync()
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                _process.WaitForExit(); // drains the redirected output, so the message has the service's last words
                var lastWords = $"The service exited with {_process.ExitCode}. Its last output:\n{string.Join('\n', Output.TakeLast(40))}";
                if (Output.Any(line => line.Contains("address already in use", StringComparison.OrdinalIgnoreCase)))
                    throw new PortTakenException(lastWords);
                throw new InvalidOperationException(lastWords);
            }
            try
            {
                if ((await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The service did not become ready within 60 s. Its last output:\n{string.Join('\n', Output.TakeLast(40))}");
    }
}
