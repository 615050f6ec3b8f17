using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection;

namespace Positions.Benchmarks.Service;

/// <summary>
/// The built service (src/Positions.Api/bin/&lt;Configuration&gt;/net10.0/Positions.Api.dll) as its own process, in
/// production mode, so its memory and start-up are the real ones.
/// </summary>
public sealed class ServiceUnderTest : IAsyncDisposable
{
    public const string ClientName = "bench";
    public static readonly string ApiKey = $"bench-key-{Guid.NewGuid():N}";

    private readonly Process _process;
    private readonly IDisposable _cleanup;

    private ServiceUnderTest(Process process, Uri address, TimeSpan coldStart)
    {
        _process = process;
        _cleanup = Cleanup.Register(() => process.Kill(entireProcessTree: true));
        Address = address;
        ColdStart = coldStart;
    }

    public Uri Address { get; }
    public int ProcessId => _process.Id;

    /// <summary>From process start to the first 200 on GET /actors/us.</summary>
    public TimeSpan ColdStart { get; }

    public static string Dll => Path.Combine(Repository.Root, "src", "Positions.Api", "bin", Configuration, "net10.0", "Positions.Api.dll");

    // The harness is built with the service (ProjectReference), so both share the configuration.
    private static string Configuration =>
        typeof(ServiceUnderTest).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    public static async Task<ServiceUnderTest> StartAsync(string connectionString, BenchOptions options)
    {
        if (!File.Exists(Dll)) throw new FileNotFoundException($"Build the service first: {Dll}");
        var address = new Uri($"http://127.0.0.1:{Ports.Free()}");
        var start = Command(connectionString, options, ["--urls", address.ToString()]);
        var clock = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the service.");
        var output = new ServiceOutput(process);

        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        while (clock.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The service exited with {process.ExitCode}:\n{output.Tail()}");
            try
            {
                using var answer = await client.GetAsync("/actors/us");
                if (answer.StatusCode == HttpStatusCode.OK) return new ServiceUnderTest(process, address, clock.Elapsed);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(10);
        }
        process.Kill(entireProcessTree: true);
        throw new TimeoutException($"The service answered no 200 within 120 s:\n{output.Tail()}");
    }

    /// <summary>How to run the service's dll with the benchmark's settings: a server or a command such as a rebuild.</summary>
    public static ProcessStartInfo Command(string connectionString, BenchOptions options, string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Dll, .. args])
        {
            WorkingDirectory = Path.GetDirectoryName(Dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Positions"] = connectionString;
        start.Environment[$"Positions__ApiKeys__{ClientName}"] = ApiKey;
        start.Environment["Positions__Seed"] = "false";
        start.Environment["Positions__Limits__RateLimiting"] = "false";
        start.Environment["Positions__Limits__RequestTimeoutSeconds"] = options.RequestTimeoutSeconds.ToString(CultureInfo.InvariantCulture);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        return start;
    }

    public HttpClient Client(int connections, TimeSpan timeout) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    })
    {
        BaseAddress = Address,
        Timeout = timeout,
        DefaultRequestHeaders = { Authorization = new("Bearer", ApiKey) },
    };

    /// <summary>Resident set size now (VmRSS), in bytes; 0 once the process is gone.</summary>
    public long ResidentBytes()
    {
        try
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith("VmRSS:"));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
        catch (IOException) { return 0; }
    }

    public async ValueTask DisposeAsync()
    {
        _cleanup.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
